// The same page tests (pages.test.mjs) against the embedded mode, the default run: one Fanout.Embedded process serves
// the API, the hub, the console and the demo on one origin.
process.env.FANOUT_STACK_MODE = 'embedded';
await import('./pages.test.mjs');
