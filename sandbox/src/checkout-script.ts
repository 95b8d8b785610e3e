import { CURRENCY_EXPONENTS } from './currencies';

/**
 * Browser source of `GET /checkout.js`, embedded so `tsc` alone ships it. It must run under
 * `script-src 'self'` (no eval, no inline scripts) and `style-src 'self'` (styles only via
 * `element.style`, which CSP does not block). It finds its API from its own URL.
 */
export function checkoutScript(): string {
  const exponents = JSON.stringify(Object.fromEntries(CURRENCY_EXPONENTS));
  return `/* Razorpay checkout.js — LOCAL SANDBOX (test mode only, never real money) */
(function () {
  'use strict';
  if (window.Razorpay && window.Razorpay.sandbox) return;
  var self = document.currentScript;
  var API = self && self.src ? self.src.replace(/\\/checkout\\.js(?:[?#].*)?$/, '') : '';
  var EXPONENTS = ${exponents};
  var uid = 0;

  function el(tag, props, children) {
    var node = document.createElement(tag);
    var p = props || {};
    Object.keys(p).forEach(function (k) {
      if (k === 'style') Object.assign(node.style, p.style);
      else if (k === 'text') node.textContent = p.text;
      else if (k === 'on') Object.keys(p.on).forEach(function (e) { node.addEventListener(e, p.on[e]); });
      else if (k.indexOf('aria-') === 0 || k === 'role' || k === 'for' || k === 'name' || k === 'type') node.setAttribute(k, p[k]);
      else node[k] = p[k];
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  function money(amount, currency) {
    var exp = EXPONENTS[currency] === undefined ? 2 : EXPONENTS[currency];
    var value = Number(amount) / Math.pow(10, exp);
    try {
      return new Intl.NumberFormat('en-IN', { style: 'currency', currency: currency, minimumFractionDigits: exp }).format(value);
    } catch (e) {
      return currency + ' ' + value.toFixed(exp);
    }
  }

  function request(method, path, body) {
    return fetch(API + path, {
      method: method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: 'omit'
    }).then(function (res) {
      return res.json().then(function (data) { return { status: res.status, data: data }; });
    });
  }

  var FIELD = { display: 'block', width: '100%', boxSizing: 'border-box', padding: '8px', margin: '4px 0 10px', border: '1px solid #767676', borderRadius: '4px', font: 'inherit' };
  var BUTTON = { padding: '10px 18px', borderRadius: '4px', border: '2px solid transparent', font: 'inherit', fontWeight: '600', cursor: 'pointer' };

  function labelled(labelText, input, hint) {
    var id = 'rzp-sbx-' + (++uid);
    input.id = id;
    var hintNode = null;
    if (hint) {
      hintNode = el('p', { id: id + '-hint', text: hint, style: { margin: '0 0 8px', fontSize: '13px', color: '#444' } });
      input.setAttribute('aria-describedby', id + '-hint');
    }
    return el('div', {}, [el('label', { for: id, text: labelText, style: { fontWeight: '600' } }), input, hintNode]);
  }

  function select(name, values) {
    return el('select', { name: name, style: FIELD }, values.map(function (v) { return el('option', { value: v[0], text: v[1] }); }));
  }

  function Razorpay(options) {
    if (!(this instanceof Razorpay)) return new Razorpay(options);
    if (!options || !options.key) throw new Error('Razorpay sandbox: "key" is mandatory');
    this.options = options;
    this.listeners = {};
    this.ui = null;
  }

  Razorpay.sandbox = true;

  Razorpay.prototype.on = function (event, callback) {
    (this.listeners[event] = this.listeners[event] || []).push(callback);
    return this;
  };

  Razorpay.prototype.fire = function (event, payload) {
    (this.listeners[event] || []).forEach(function (cb) { cb(payload); });
  };

  Razorpay.prototype.close = function () {
    this.teardown();
  };

  Razorpay.prototype.dismiss = function () {
    var modal = this.options.modal || {};
    if (modal.confirm_close && !window.confirm('Are you sure you want to close the payment?')) return;
    this.teardown();
    if (typeof modal.ondismiss === 'function') modal.ondismiss();
  };

  Razorpay.prototype.teardown = function () {
    if (!this.ui) return;
    var ui = this.ui;
    this.ui = null;
    clearTimeout(ui.timer);
    document.removeEventListener('keydown', ui.onKey, true);
    ui.overlay.remove();
    document.body.style.overflow = ui.bodyOverflow;
    if (ui.restore && typeof ui.restore.focus === 'function') ui.restore.focus();
  };

  Razorpay.prototype.open = function () {
    if (this.ui) return this;
    var rzp = this;
    var o = this.options;
    var modal = o.modal || {};
    var theme = o.theme || {};
    var color = theme.color || '#3395FF';
    var titleId = 'rzp-sbx-title-' + (++uid);
    var descId = 'rzp-sbx-desc-' + uid;

    var status = el('p', { role: 'status', style: { minHeight: '1.2em', margin: '8px 0' } });
    var alertBox = el('div', { role: 'alert', style: { color: '#a00000', fontWeight: '600', margin: '8px 0' } });
    var amountText = el('p', { text: o.amount ? money(o.amount, o.currency || 'INR') : '', style: { fontSize: '20px', fontWeight: '700', margin: '4px 0' } });

    var methods = [['card', 'Card'], ['upi', 'UPI'], ['netbanking', 'Netbanking'], ['wallet', 'Wallet']];
    var prefillMethod = o.prefill && o.prefill.method;
    var current = methods.some(function (m) { return m[0] === prefillMethod; }) ? prefillMethod : 'card';
    var panels = {};
    var radios = methods.map(function (m) {
      var id = 'rzp-sbx-m-' + (++uid);
      var input = el('input', { type: 'radio', name: 'rzp-sbx-method-' + titleId, id: id, value: m[0], checked: m[0] === current });
      input.addEventListener('change', function () { if (input.checked) show(m[0]); });
      return el('span', { style: { marginRight: '14px', whiteSpace: 'nowrap' } }, [input, el('label', { for: id, text: ' ' + m[1] })]);
    });

    var cardNumber = el('input', { type: 'text', name: 'card_number', value: '4100 2800 0000 1007', autocomplete: 'off', inputMode: 'numeric', style: FIELD });
    var expiry = el('input', { type: 'text', name: 'expiry', value: '12/30', autocomplete: 'off', style: FIELD });
    var cvv = el('input', { type: 'text', name: 'cvv', value: '123', autocomplete: 'off', inputMode: 'numeric', style: FIELD });
    var otp = el('input', { type: 'text', name: 'otp', value: '', autocomplete: 'one-time-code', inputMode: 'numeric', style: FIELD });
    panels.card = el('div', {}, [
      labelled('Card number', cardNumber, 'Test cards: 4100 2800 0000 1007 (Visa), 5500 6700 0000 1002 (Mastercard). Error cards such as 4100 2800 0006 0003 are declined.'),
      labelled('Expiry (MM/YY)', expiry, 'Any future date.'),
      labelled('CVV', cvv, 'Any 3 digits.'),
      labelled('OTP', otp, 'Optional. 4 to 10 digits succeed; fewer than 4 digits fail.')
    ]);
    var vpa = el('input', { type: 'text', name: 'vpa', value: 'success@razorpay', autocomplete: 'off', style: FIELD });
    panels.upi = el('div', {}, [labelled('UPI ID', vpa, 'success@razorpay succeeds; failure@razorpay fails.')]);
    var bank = select('bank', [['HDFC', 'HDFC Bank'], ['ICIC', 'ICICI Bank'], ['SBIN', 'State Bank of India'], ['UTIB', 'Axis Bank'], ['KKBK', 'Kotak Mahindra Bank']]);
    panels.netbanking = el('div', {}, [labelled('Bank', bank, 'A mock bank page follows: choose Success or Failure.')]);
    var wallet = select('wallet', [['freecharge', 'Freecharge'], ['mobikwik', 'MobiKwik'], ['airtelmoney', 'Airtel Money'], ['jiomoney', 'JioMoney']]);
    panels.wallet = el('div', {}, [labelled('Wallet', wallet, 'A mock wallet page follows: choose Success or Failure.')]);

    function show(method) {
      current = method;
      Object.keys(panels).forEach(function (k) { panels[k].hidden = k !== method; });
    }

    var success = el('button', { type: 'button', text: 'Success', style: Object.assign({}, BUTTON, { background: '#0a7d32', color: '#fff' }) });
    var failure = el('button', { type: 'button', text: 'Failure', style: Object.assign({}, BUTTON, { background: '#b00020', color: '#fff', marginLeft: '10px' }) });
    var closeBtn = el('button', { type: 'button', text: '\\u00d7', 'aria-label': 'Close', style: Object.assign({}, BUTTON, { position: 'absolute', top: '8px', right: '8px', background: 'transparent', color: '#222', fontSize: '22px', padding: '2px 10px' }) });

    var dialog = el('div', {
      role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, 'aria-describedby': descId, tabIndex: -1,
      style: { position: 'relative', background: '#fff', color: '#111', width: 'min(440px, 94vw)', maxHeight: '94vh', overflowY: 'auto', boxSizing: 'border-box', padding: '20px 22px', borderRadius: '8px', borderTop: '6px solid ' + color, fontFamily: 'system-ui, sans-serif', fontSize: '15px', lineHeight: '1.4', boxShadow: '0 10px 40px rgba(0,0,0,.4)' }
    }, [
      el('p', { id: descId, text: 'Sandbox / Test mode \\u2014 no real money is charged', style: { display: 'inline-block', margin: '0 0 8px', padding: '3px 8px', background: '#ffe08a', color: '#3d2e00', fontWeight: '700', borderRadius: '4px', fontSize: '13px' } }),
      closeBtn,
      el('h2', { id: titleId, text: (o.name || 'Razorpay Checkout') + ' \\u2014 Sandbox', style: { margin: '0 0 4px', fontSize: '20px' } }),
      o.description ? el('p', { text: o.description, style: { margin: '0 0 4px' } }) : null,
      amountText,
      el('fieldset', { style: { border: '1px solid #ccc', borderRadius: '6px', margin: '10px 0', padding: '8px 12px' } }, [el('legend', { text: 'Payment method' })].concat(radios)),
      panels.card, panels.upi, panels.netbanking, panels.wallet,
      el('p', { text: 'Mock bank page: choose the outcome of this test payment.', style: { margin: '6px 0' } }),
      el('div', {}, [success, failure]),
      status,
      alertBox
    ]);
    var overlay = el('div', {
      style: { position: 'fixed', inset: '0', zIndex: '2147483000', display: 'flex', alignItems: 'center', justifyContent: 'center', background: theme.backdrop_color || 'rgba(0,0,0,0.6)' }
    }, [dialog]);
    overlay.setAttribute('data-razorpay-sandbox', '');
    show(current);

    function focusables() {
      return Array.prototype.filter.call(
        dialog.querySelectorAll('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])'),
        function (n) { return !n.disabled && n.offsetParent !== null; }
      );
    }

    function onKey(e) {
      if (!rzp.ui) return;
      if (e.key === 'Escape') {
        if (modal.escape !== false) { e.preventDefault(); rzp.dismiss(); }
        return;
      }
      if (e.key !== 'Tab') return;
      var list = focusables();
      if (!list.length) return;
      var first = list[0], last = list[list.length - 1];
      var inside = dialog.contains(document.activeElement);
      if (e.shiftKey && (document.activeElement === first || !inside)) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && (document.activeElement === last || !inside)) { e.preventDefault(); first.focus(); }
    }

    function busy(on, text) {
      success.disabled = on;
      failure.disabled = on;
      status.textContent = text || '';
    }

    function pay(outcome) {
      alertBox.textContent = '';
      // UPI collect: the request waits until the shopper approves it in their UPI app.
      busy(true, current === 'upi' ? 'Approve the payment request in your UPI app\\u2026' : 'Processing payment\\u2026');
      var prefill = o.prefill || {};
      request('POST', '/checkout/payments', {
        key_id: o.key, order_id: o.order_id, outcome: outcome, method: current,
        card_number: cardNumber.value, otp: otp.value, vpa: vpa.value, bank: bank.value, wallet: wallet.value,
        email: prefill.email, contact: prefill.contact, description: o.description
      }).then(function (res) {
        if (res.data && res.data.razorpay_payment_id) {
          rzp.teardown();
          if (typeof o.handler === 'function') o.handler(res.data);
          return;
        }
        failed(res.data && res.data.error ? res.data : { error: { code: 'BAD_REQUEST_ERROR', description: 'Payment failed', source: 'NA', step: 'NA', reason: 'NA', metadata: {} } });
      }, function () {
        failed({ error: { code: 'BAD_REQUEST_ERROR', description: 'Could not reach the Razorpay sandbox.', source: 'NA', step: 'NA', reason: 'NA', metadata: { order_id: o.order_id } } });
      });
    }

    function failed(body) {
      busy(false, '');
      alertBox.textContent = 'Payment failed: ' + body.error.description + ' You can try again.';
      rzp.fire('payment.failed', body);
      // Without retry, checkout closes after a failure and ondismiss runs (razorpay.md §7).
      if (o.retry === false || (o.retry && o.retry.enabled === false)) rzp.dismiss();
    }

    success.addEventListener('click', function () { pay('success'); });
    failure.addEventListener('click', function () { pay('failure'); });
    closeBtn.addEventListener('click', function () { rzp.dismiss(); });
    overlay.addEventListener('click', function (e) { if (e.target === overlay && modal.backdropclose) rzp.dismiss(); });

    this.ui = { overlay: overlay, onKey: onKey, restore: document.activeElement, bodyOverflow: document.body.style.overflow, timer: null };
    if (o.timeout) this.ui.timer = setTimeout(function () { rzp.dismiss(); }, Number(o.timeout) * 1000);
    document.addEventListener('keydown', onKey, true);
    document.body.style.overflow = 'hidden';
    document.body.appendChild(overlay);
    var checked = dialog.querySelector('input[type=radio]:checked');
    (checked || dialog).focus();

    if (o.order_id) {
      busy(true, 'Loading order\\u2026');
      request('GET', '/checkout/orders/' + encodeURIComponent(o.order_id) + '?key_id=' + encodeURIComponent(o.key)).then(function (res) {
        if (!rzp.ui) return;
        if (res.data && res.data.error) { busy(true, ''); alertBox.textContent = res.data.error.description; return; }
        amountText.textContent = money(res.data.amount_due, res.data.currency);
        if (res.data.status === 'paid') {
          busy(true, '');
          alertBox.textContent = 'Your payment has been declined as the order is already paid. Please initiate the payment with a new order.';
          return;
        }
        busy(false, '');
      }, function () { if (rzp.ui) { busy(false, ''); } });
    }
    return this;
  };

  window.Razorpay = Razorpay;
})();
`;
}
