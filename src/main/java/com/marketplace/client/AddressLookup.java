package com.marketplace.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Finds every address of a host name; it may block, so a channel calls it on a worker thread. */
@FunctionalInterface
public interface AddressLookup {

  /** The system resolver: /etc/hosts, then DNS. */
  AddressLookup SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  List<InetAddress> addresses(String host) throws UnknownHostException;
}
