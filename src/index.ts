// The package entry point ("exports": "./src/index.ts"): what a receiver of Pasarela's
// notifications imports.
export { verifySignature, checkSignature, signatureManifest, signatureHeader, parseSignatureHeader } from './modules/webhooks/signature.ts';
export type { VerifyOptions, VerifyFailure, ManifestParts } from './modules/webhooks/signature.ts';
