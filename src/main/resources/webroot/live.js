'use strict';
// Shows a category's products as the server streams them (server-sent events).
// Catalog text is only ever set with textContent, never parsed as HTML.
(function () {
  const status = document.getElementById('live-status');
  const list = document.getElementById('live-products');
  const category = status.dataset.category;
  const source = new EventSource('/live/' + encodeURIComponent(category) + '/events');
  let count = 0;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  source.addEventListener('product', function (event) {
    const product = JSON.parse(event.data);
    const item = element('li', 'card arrived');
    const link = element('a');
    link.href = '/products/' + encodeURIComponent(product.id);
    link.appendChild(element('h3', '', product.name));
    item.append(link, element('p', '', product.description), element('p', 'price', product.price));
    list.appendChild(item);
    count += 1;
    status.textContent = 'Streaming… ' + count + ' so far';
  });

  source.addEventListener('end', function () {
    source.close();
    status.textContent = count === 0 ? 'No products in this category yet.' : count + ' products streamed';
    status.classList.add('done');
  });

  source.addEventListener('failure', function (event) {
    source.close();
    status.textContent = JSON.parse(event.data).message;
  });

  // The connection itself failed: EventSource would retry forever; say so once instead.
  source.onerror = function () {
    if (source.readyState !== EventSource.CLOSED) {
      source.close();
      status.textContent = 'Live updates are unavailable right now.';
    }
  };
})();
