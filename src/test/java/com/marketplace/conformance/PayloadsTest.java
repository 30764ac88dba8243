package com.marketplace.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.PayloadType;
import org.junit.jupiter.api.Test;

class PayloadsTest {

  @Test
  void eachSizeIsAnsweredWhateverWasAskedBefore() {
    for (int size : new int[] {1024, 1024, 7, 0, 1024, 7, 70_000, 0}) {
      Payload payload = Payloads.ofSize(size);
      assertEquals(size, payload.getBody().size());
      assertEquals(PayloadType.COMPRESSABLE, payload.getType());
    }
  }

  @Test
  void aSizeAskedAgainIsTheSamePayload() {
    assertSame(Payloads.ofSize(333), Payloads.ofSize(333));
    Payloads.ofSize(5);
    assertSame(Payloads.ofSize(333), Payloads.ofSize(333));
  }
}
