// A raw-body upload with progress: XHR rather than fetch, because only XHR reports upload progress.
import { ApiError, apiUrl, getCsrfToken, type Problem, type Query } from './client.ts';

export type UploadPhase = { phase: 'uploading'; percent: number } | { phase: 'processing' };

const failure = (status: number, detail: string, code: string): ApiError =>
  new ApiError({ type: 'about:blank', title: detail, status, detail, code });

export function uploadWithProgress<T>(
  path: string,
  query: Query,
  body: Blob,
  contentType: string,
  onProgress: (p: UploadPhase) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path, query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable)
        onProgress({ phase: 'uploading', percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.upload.onload = () => onProgress({ phase: 'processing' });
    xhr.onerror = () => reject(failure(0, 'The server could not be reached', 'network_error'));
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: handled below
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else if (parsed && typeof parsed === 'object' && 'code' in parsed)
        reject(new ApiError(parsed as Problem));
      else reject(failure(xhr.status, xhr.statusText || `HTTP ${xhr.status}`, 'http_error'));
    };
    onProgress({ phase: 'uploading', percent: 0 });
    xhr.send(body);
  });
}
