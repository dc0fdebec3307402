// The page: reads the controls, sends work to the worker (which runs the library) and draws what
// it reports. Nothing heavy runs on this thread.
import { drawLines } from './chart.js';
import { SAMPLE_TEXT } from './sample-text.js';

const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

/** Years of actual numbers drawn in the forecast chart, ending with the forecast ones. */
const CHART_YEARS = 200;
let batchLosses = [];
let trainingEpochs = 0;
let modelKind = null; // 'text' | 'series' once the worker holds a trained or loaded model
let sunspots = null; // { years, values }, fetched once

function settings() {
  return { cell: $('cell').value, units: Number($('units').value), depth: Number($('layers').value), epochs: Number($('epochs').value) };
}

function setBusy(busy, status) {
  for (const id of ['train-text', 'train-series', 'load']) $(id).disabled = busy;
  $('download').disabled = busy || modelKind === null;
  $('generate').disabled = busy || modelKind !== 'text';
  $('status').textContent = status;
}

function startTraining(kind) {
  batchLosses = [];
  $('epoch-losses').replaceChildren();
  drawLines($('loss-chart'), []);
  trainingEpochs = settings().epochs;
  $('epoch').textContent = `0/${trainingEpochs}`;
  setBusy(true, `training (${kind})…`);
}

async function loadSunspots() {
  if (sunspots !== null) return sunspots;
  const rows = (await (await fetch('/data/sunspots.csv')).text()).trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
  sunspots = { years: rows.map(([year]) => year), values: rows.map(([, value]) => value) };
  return sunspots;
}

function showProgress(message) {
  if (message.tokensPerSecond > 0) $('tokens-per-second').textContent = Math.round(message.tokensPerSecond).toLocaleString('en');
  if (message.loss !== undefined) {
    batchLosses.push(message.loss);
    $('loss').textContent = message.loss.toFixed(4);
    drawLines($('loss-chart'), [{ name: 'batch loss', className: 'loss', points: batchLosses.map((loss, i) => [i + 1, loss]) }]);
  }
  if (message.epochLoss !== undefined) {
    $('epoch').textContent = `${message.epoch + 1}/${trainingEpochs}`;
    const item = document.createElement('li');
    item.textContent = message.epochLoss.toFixed(4);
    $('epoch-losses').append(item);
  }
}

function showForecast({ start, forecast }) {
  const { years, values } = sunspots;
  const from = Math.max(0, start - CHART_YEARS + forecast.length);
  const actual = values.slice(from).map((value, i) => [years[from + i], value]);
  const predicted = forecast.map((value, i) => [years[start + i], value]);
  drawLines($('forecast-chart'), [
    { name: 'actual', className: 'actual', points: actual },
    { name: 'forecast', className: 'forecast', points: predicted },
  ]);
  const squared = forecast.reduce((sum, value, i) => sum + (value - values[start + i]) ** 2, 0);
  $('forecast-error').textContent = `RMSE over ${forecast.length} years: ${Math.sqrt(squared / forecast.length).toFixed(1)}`;
}

function download(text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: 'wasm-rnn-model.json' });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const onMessage = {
  ready: ({ backend }) => { $('backend').textContent = backend; setBusy(false, 'ready'); },
  progress: showProgress,
  trained: ({ kind, params }) => {
    modelKind = kind;
    setBusy(kind === 'series', kind === 'series' ? 'forecasting…' : 'trained');
    $('model-info').textContent = `${kind} model, ${params.toLocaleString('en')} parameters`;
  },
  generated: ({ text }) => { $('continuation').textContent = `${$('prefix').value}${text}`; setBusy(false, 'generated'); },
  forecast: (message) => { showForecast(message); setBusy(false, 'forecast done'); },
  model: ({ text }) => { download(text); setBusy(false, 'model downloaded'); },
  loaded: async ({ kind, params, epochs }) => {
    modelKind = kind;
    $('model-info').textContent = `loaded ${kind} model, ${params.toLocaleString('en')} parameters, ${epochs} epochs trained`;
    if (kind === 'text') return setBusy(false, 'model loaded');
    worker.postMessage({ type: 'forecast', values: (await loadSunspots()).values });
  },
  error: ({ message }) => { setBusy(false, `error: ${message}`); },
};
worker.onmessage = ({ data }) => onMessage[data.type](data);
worker.onerror = (event) => setBusy(false, `worker error: ${event.message}`);

$('sample').addEventListener('click', () => { $('text').value = SAMPLE_TEXT; });
$('train-text').addEventListener('click', () => {
  const text = $('text').value || SAMPLE_TEXT;
  $('text').value = text;
  modelKind = null;
  startTraining('text');
  worker.postMessage({ type: 'train-text', text, ...settings() });
});
$('train-series').addEventListener('click', async () => {
  modelKind = null;
  startTraining('series');
  worker.postMessage({ type: 'train-series', values: (await loadSunspots()).values, ...settings() });
});
$('generate').addEventListener('click', () => {
  setBusy(true, 'generating…');
  worker.postMessage({ type: 'generate', prefix: $('prefix').value, steps: 120, temperature: Number($('temperature').value) });
});
$('temperature').addEventListener('input', () => { $('temperature-value').textContent = Number($('temperature').value).toFixed(2); });
$('download').addEventListener('click', () => { setBusy(true, 'saving…'); worker.postMessage({ type: 'download' }); });
$('load').addEventListener('change', async () => {
  const file = $('load').files[0];
  if (file === undefined) return;
  setBusy(true, 'loading model…');
  worker.postMessage({ type: 'load', text: await file.text() });
  $('load').value = '';
});

for (const tab of document.querySelectorAll('[role=tab]')) {
  tab.addEventListener('click', () => {
    for (const other of document.querySelectorAll('[role=tab]')) {
      other.setAttribute('aria-selected', String(other === tab));
      $(other.getAttribute('aria-controls')).hidden = other !== tab;
    }
  });
}
$('text').value = SAMPLE_TEXT;
