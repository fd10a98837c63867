/** The page's fixed elements and the small things every view does with them: toasts, copy, download, the card preview. */
import { $, h } from './dom.js';

export const fileInput = $('#files') as HTMLInputElement;
export const dropZone = $('#drop');
export const batchPanel = $('#batch');
export const rowsList = $('#rows');
export const decksBox = $('#decks');
const toastBox = $('#toast');
const preview = $('#preview');

export function toast(text: string): void {
  toastBox.textContent = text;
  toastBox.classList.add('show');
  window.setTimeout(() => toastBox.classList.remove('show'), 2200);
}

export async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Older browsers or an insecure origin: the selection route.
    const area = h('textarea', { readonly: true, class: 'offscreen' }, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  toast(`${what} copied`);
}

export function download(filename: string, data: unknown): void {
  const blob = new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, class: 'offscreen' });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The card image beside an entry (wide screens only). */

export function showPreview(anchor: HTMLElement, url: string): void {
  if (window.matchMedia('(max-width: 640px)').matches) return;
  const img = preview.querySelector('img') ?? h('img', { alt: '' });
  if (img.getAttribute('src') !== url) img.setAttribute('src', url);
  preview.replaceChildren(img);
  const box = anchor.getBoundingClientRect();
  const width = 240;
  const left = box.right + 12 + width < window.innerWidth ? box.right + 12 : Math.max(8, box.left - width - 12);
  const top = Math.min(Math.max(8, box.top - 60), window.innerHeight - 345);
  preview.style.left = `${left}px`;
  preview.style.top = `${top}px`;
  preview.hidden = false;
}

export function hidePreview(): void {
  preview.hidden = true;
}
