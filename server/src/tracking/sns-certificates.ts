// The Amazon SNS signing certificates, fetched once per URL and kept: SNS signs every message with the same few.
// Only URLs that tracking/sns-signature.ts accepts are ever fetched, without following redirects. The fetcher can be
// replaced (useFetcher), e.g. by an app whose outbound requests go through its own client, or by tests.
import { LRUCache } from 'lru-cache';
import { isSnsCertificateUrl } from './sns-signature';

export type CertificateFetcher = (url: string) => Promise<string>;

const MAX_CERTIFICATES = 20;
const MAX_PEM_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 5000;

const fetchCertificate: CertificateFetcher = async (url) => {
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const pem = await res.text();
  if (pem.length > MAX_PEM_BYTES || !pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new Error(`${url} did not answer a PEM certificate`);
  return pem;
};

const createSnsCertificatesService = () => {
  let fetcher: CertificateFetcher = fetchCertificate;
  // Promises, so that messages arriving together wait for one fetch; a failed fetch is forgotten and tried again.
  const cache = new LRUCache<string, Promise<string>>({ max: MAX_CERTIFICATES });

  return {
    /** The PEM certificate at an SNS certificate URL; throws for any other URL, before any request. */
    get(url: string): Promise<string> {
      if (!isSnsCertificateUrl(url)) return Promise.reject(new Error('not an Amazon SNS certificate URL'));
      const cached = cache.get(url);
      if (cached) return cached;
      const fetched = fetcher(url);
      cache.set(url, fetched);
      fetched.catch(() => {
        if (cache.get(url) === fetched) cache.delete(url);
      });
      return fetched;
    },

    /** Replaces how certificates are fetched (and forgets those fetched so far). */
    useFetcher(next: CertificateFetcher) {
      fetcher = next;
      cache.clear();
    },
  };
};

export type SnsCertificatesService = ReturnType<typeof createSnsCertificatesService>;
export default createSnsCertificatesService;
