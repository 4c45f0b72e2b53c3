// Saving something as a file from the admin: an anchor with `download`, clicked once. Blobs get an object URL that
// is revoked a little later (revoking at once can cancel the download in some browsers).

export const download = (href: string, filename: string) => {
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = filename;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
};

export const downloadBlob = (blob: Blob, filename: string) => {
  const href = URL.createObjectURL(blob);
  download(href, filename);
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
};
