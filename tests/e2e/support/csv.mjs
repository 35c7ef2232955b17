// Reading back the app's CSV files as a spreadsheet would: RFC 4180 quotes honoured (doubled quotes, line
// breaks and separators inside quotes kept), split on `separator` — `,`, or `;` as in German, French or Dutch
// locales, tab, `|`.

/// The rows of a CSV text, each an array of cells (rows end at CRLF or LF outside quotes).
export function csvRows(text, separator = ',') {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { /* the CRLF's CR */ }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
