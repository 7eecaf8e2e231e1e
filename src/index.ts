// The package entry point ("exports": "./src/index.ts"): what a receiver of Pasarela's
// notifications imports.
export { verifySignature, checkSignature, signatureManifest, signatureHeader, parseSignatureHeader } from './domain/webhook-signature.ts';
export type { VerifyOptions, VerifyFailure, ManifestParts } from './domain/webhook-signature.ts';
