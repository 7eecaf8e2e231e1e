// The checkout's stylesheet and its one script (progress on submit). Served from 'self' so
// the page's CSP needs no inline code; the pages work without the script.
export const CHECKOUT_CSS = `
*{box-sizing:border-box}
body{margin:0;padding:16px;font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#f3f5f9;color:#1c2333;line-height:1.4}
.card{max-width:480px;margin:0 auto;background:#fff;border-radius:10px;padding:20px;border:1px solid #dde3ee}
h1{font-size:20px;margin:0 0 12px}
.merchant{display:table;width:100%;margin-bottom:12px}
.merchant img{display:table-cell;width:48px;height:48px;border-radius:8px;vertical-align:middle}
.merchant span{display:table-cell;vertical-align:middle;padding-left:12px;font-weight:bold;width:100%;text-align:left}
label{display:block;margin:12px 0 4px;font-weight:bold;font-size:14px}
input[type=text],input[type=password]{width:100%;padding:10px;font-size:16px;border:1px solid #b8c2d6;border-radius:6px}
button{display:block;width:100%;margin-top:16px;padding:12px;font-size:16px;border-radius:6px;border:0;background:#1f6feb;color:#fff;cursor:pointer}
button.secondary{background:#e7ebf3;color:#1c2333}
button[disabled]{opacity:.6;cursor:wait}
a.button{display:inline-block;padding:12px 20px;border-radius:6px;background:#1f6feb;color:#fff;text-decoration:none;font-weight:600}
table{width:100%;border-collapse:collapse;font-size:14px}
td,th{padding:6px 4px;border-bottom:1px solid #eef1f6;text-align:left}
td.n,th.n{text-align:right}
tr.total td{font-weight:bold;font-size:16px;border-bottom:0}
.error{background:#fdecea;color:#8a1c12;padding:10px;border-radius:6px;margin:12px 0}
.note{color:#5a6478;font-size:13px}
footer{text-align:center;color:#5a6478;font-size:12px;margin-top:16px}
footer a{color:#5a6478}
`;

export const CHECKOUT_JS = `
(function () {
  var forms = document.getElementsByTagName('form');
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener('submit', function (event) {
      var form = event.target;
      if (form.getAttribute('data-busy')) { event.preventDefault(); return; }
      form.setAttribute('data-busy', '1');
      var clicked = form.__clicked;
      var buttons = form.getElementsByTagName('button');
      for (var j = 0; j < buttons.length; j++) {
        var b = buttons[j];
        if (b === clicked && b.getAttribute('data-busy-text')) b.textContent = b.getAttribute('data-busy-text');
        // Disabling the clicked button would drop its name/value from the form: keep a copy.
        if (b === clicked && b.name) {
          var hidden = document.createElement('input');
          hidden.type = 'hidden'; hidden.name = b.name; hidden.value = b.value;
          form.appendChild(hidden);
        }
        b.disabled = true;
      }
    });
    forms[i].addEventListener('click', function (event) {
      if (event.target && event.target.tagName === 'BUTTON') event.currentTarget.__clicked = event.target;
    });
  }
})();
`;
