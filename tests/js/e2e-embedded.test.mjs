// The same end-to-end tests (e2e.test.mjs, the official @microsoft/signalr client) against the embedded mode: one
// Fanout.Embedded process that is both the HTTP API and the only node (hubUrl(i) is its hub for every i).
process.env.FANOUT_STACK_MODE = 'embedded';
await import('./e2e.test.mjs');
