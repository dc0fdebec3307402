import { writeFileSync } from 'node:fs';
import { renderErrorCatalogue } from '../test/hardening/error-catalogue.js';

/* Writes docs/ERRORS.md from the table of test/hardening/error-cases.ts. */
writeFileSync(new URL('../docs/ERRORS.md', import.meta.url), renderErrorCatalogue());
