import type { Flow, PlannedLayer } from './stack.js';

/** Keras' summary layout: column widths of Layer (type), Output Shape, Param #. */
const COLUMNS = [33, 26, 12] as const;
const WIDTH = COLUMNS[0] + COLUMNS[1] + COLUMNS[2];

function shapeText(flow: Flow): string {
  return flow.sequence ? `(None, ${flow.steps ?? 'None'}, ${flow.features})` : `(None, ${flow.features})`;
}

function typeText(layer: PlannedLayer): string {
  const spec = layer.spec;
  return spec.className === 'Bidirectional' ? `Bidirectional(${spec.config.layer.className})` : spec.className;
}

/** Cells padded to their columns; a cell longer than its column keeps one space before the next. */
function row(cells: readonly string[]): string {
  return cells.map((cell, i) => (cell.length < COLUMNS[i]! ? cell.padEnd(COLUMNS[i]!) : `${cell} `)).join('').trimEnd();
}

/** Number of parameters of a layer (PyTorch's layout: recurrent layers have both b_ih and b_hh). */
export function layerParameterCount(layer: PlannedLayer): number {
  return layer.parameters.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
}

/** The text of model.summary(): layers, output shapes (batch as None) and parameter counts. */
export function summaryText(name: string, layers: readonly PlannedLayer[]): string {
  const total = layers.reduce((sum, layer) => sum + layerParameterCount(layer), 0);
  const lines = [
    `Model: "${name}"`,
    '_'.repeat(WIDTH),
    row(['Layer (type)', 'Output Shape', 'Param #']),
    '='.repeat(WIDTH),
    ...layers.map((layer) => row([`${layer.name} (${typeText(layer)})`, shapeText(layer.output), layerParameterCount(layer).toLocaleString('en-US')])),
    '='.repeat(WIDTH),
    `Total params: ${total.toLocaleString('en-US')}`,
    `Trainable params: ${total.toLocaleString('en-US')}`,
    'Non-trainable params: 0',
    '_'.repeat(WIDTH),
  ];
  return lines.join('\n');
}
