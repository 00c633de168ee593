import { measureFunctionMemory, functionMemoryTable } from './function-memory.js';
const [iso, n, t] = process.argv.slice(2);
const row = await measureFunctionMemory(iso as 'thread', Number(n), Number(t));
console.log(functionMemoryTable([row]));
console.log(JSON.stringify(row));
