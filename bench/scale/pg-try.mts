import { measurePropagation, propagationTable, benchPostgres } from './propagation.js';
const url = benchPostgres();
if (!url) { console.log(propagationTable('skipped')); process.exit(0); }
console.log(propagationTable(await measurePropagation(url, Number(process.argv[2] ?? 5))));
