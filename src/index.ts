// The package entry point (built to dist/index.js, the package's "exports"): what a receiver of Pasarela's
// notifications imports. Straight from signature.ts, not the webhooks module's index: a
// receiver must not load the server (database drivers, HTTP client) to verify a signature.
export { verifySignature, checkSignature, signatureManifest, signatureHeader, parseSignatureHeader } from './modules/webhooks/signature.ts';
export type { VerifyOptions, VerifyFailure, ManifestParts } from './modules/webhooks/signature.ts';
