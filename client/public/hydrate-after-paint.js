// Server-rendered pages load the app only after their first paint, so the page a shopper sees
// never waits for the scripts (server/src/storefront/storefront.ts points pages at this file).
(function () {
  var main = document.currentScript && document.currentScript.getAttribute('data-main');
  if (!main) return;
  requestAnimationFrame(function () {
    setTimeout(function () {
      var script = document.createElement('script');
      script.type = 'module';
      script.src = main;
      document.head.appendChild(script);
    }, 0);
  });
})();
