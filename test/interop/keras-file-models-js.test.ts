import { kerasFixtureSuite } from './keras-file-suite.js';

/* loadKerasModel on the pure-TS backend (keras-file-models.test.ts: Wasm, and the other tests). */

kerasFixtureSuite('js');
