export { ensureDemo, type DemoDocument } from './demo.ts';
