// Sending a payout CSV with XMLHttpRequest, whose upload events report real progress (fetch has
// none for a request body). The file is read in the browser first: spreadsheets on Windows save
// CSV in Windows-1252, so a file that is not UTF-8 is decoded as that and sent as UTF-8.
import { NetworkError, readError } from '../../lib/api.ts';
import type { UploadAnswer } from './types.ts';

/** The server's body limit (src/http/shared/body.ts LIMITS.bodyBytes). */
export const MAX_FILE_BYTES = 1024 * 1024;

export async function fileText(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** A fresh key for one upload: a retry of the same upload is registered once (Idempotency-Key). */
export function uploadKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `subida-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

interface UploadRequest {
  text: string;
  appId: string;
  key: string;
  csrfToken: string;
  /** From 0 to 1 as the body leaves the browser. */
  onProgress: (fraction: number) => void;
}

export function uploadPayoutCsv({ text, appId, key, csrfToken, onProgress }: UploadRequest): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/console/api/payout-batches/upload?appId=${encodeURIComponent(appId)}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'text/csv; charset=utf-8');
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.setRequestHeader('idempotency-key', key);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new NetworkError('network'));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as UploadAnswer);
        } catch {
          reject(new NetworkError('network'));
        }
        return;
      }
      // The error's codes travel in headers (pasarela-field-codes, …): readError needs them too.
      const headers = new Headers({ 'content-type': 'application/json' });
      for (const line of xhr
        .getAllResponseHeaders()
        .trim()
        .split(/[\r\n]+/)) {
        const at = line.indexOf(':');
        if (at > 0 && line.slice(0, at).trim().toLowerCase().startsWith('pasarela-')) headers.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      const response = new Response(xhr.responseText, { status: xhr.status, headers });
      void readError(response).then(reject, reject);
    };
    xhr.send(text);
  });
}
