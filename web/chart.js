// A minimal SVG line chart: several lines over one shared x/y range, with the range printed on the axes.
const SVG = 'http://www.w3.org/2000/svg';
const PAD = { left: 48, right: 12, top: 12, bottom: 24 };

function element(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

const label = (value) => (Number.isInteger(value) || Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));

/**
 * Draws `lines` ({ points: [x, y][], className, name }) into `svg`, replacing what was there.
 * The y range starts at 0 unless a value is negative.
 */
export function drawLines(svg, lines) {
  const width = svg.clientWidth || 600;
  const height = svg.clientHeight || 220;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const points = lines.flatMap((line) => line.points);
  if (points.length === 0) return;
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const [yMin, yMax] = [Math.min(0, ...ys), Math.max(...ys)];
  const sx = (x) => PAD.left + ((x - xMin) / (xMax - xMin || 1)) * (width - PAD.left - PAD.right);
  const sy = (y) => height - PAD.bottom - ((y - yMin) / (yMax - yMin || 1)) * (height - PAD.top - PAD.bottom);

  svg.append(
    element('line', { class: 'axis', x1: PAD.left, y1: sy(yMin), x2: width - PAD.right, y2: sy(yMin) }),
    element('line', { class: 'axis', x1: PAD.left, y1: sy(yMin), x2: PAD.left, y2: PAD.top }),
    element('text', { class: 'tick', x: PAD.left - 4, y: sy(yMax) + 4, 'text-anchor': 'end' }, label(yMax)),
    element('text', { class: 'tick', x: PAD.left - 4, y: sy(yMin), 'text-anchor': 'end' }, label(yMin)),
    element('text', { class: 'tick', x: PAD.left, y: height - 6 }, label(xMin)),
    element('text', { class: 'tick', x: width - PAD.right, y: height - 6, 'text-anchor': 'end' }, label(xMax)),
  );
  lines.forEach((line, i) => {
    const path = line.points.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    svg.append(element('path', { class: `line ${line.className}`, d: path }));
    svg.append(element('text', { class: `legend ${line.className}`, x: width - PAD.right, y: PAD.top + 12 + 14 * i, 'text-anchor': 'end' }, line.name));
  });
}
