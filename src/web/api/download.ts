import { bearer, type Credentials } from './credentials.js';

/** How long a downloaded file stays in memory after its download started. */
const keepObjectUrlMs = 60_000;

/**
 * Saves a file the server serves only with an API token (a contract PDF). A plain link cannot
 * send the `Authorization` header, so the file is fetched with it and handed to the browser from
 * memory: a blob URL on a temporary `<a download>`, clicked, removed, and the URL revoked later.
 * Throws with a message for people when the server does not give the file.
 */
export async function downloadWithToken(url: string, fileName: string, credentials: Credentials): Promise<void> {
  const token = credentials.token;
  let response: Response;
  try {
    response = await fetch(url, { headers: token ? { authorization: bearer(token) } : {} });
  } catch {
    throw new Error('The server cannot be reached.');
  }
  if (response.status === 401) {
    credentials.refuse(token);
    throw new Error('Sign in with an API token to download it.');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `The server answered ${response.status}.`);
  }
  credentials.accept(token);
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Not at once: the browser reads the blob after the click, on its own time.
    setTimeout(() => URL.revokeObjectURL(objectUrl), keepObjectUrlMs);
  }
}
