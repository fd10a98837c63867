/**
 * The decklist-ocr page: drop screenshots, follow the batch over graphql-sse, fix entries, export.
 * Plain TypeScript and DOM; all service traffic goes through api.ts (GraphQL only). This file wires the
 * input; `batch-stream.ts` runs a batch (upload, events, resume), `batch-panel.ts` draws its status and file
 * rows, `deck-view.ts` a decklist and its editor, `state.ts` holds what is shown, `ui.ts` the fixed elements.
 */
import './style.css';
import { renderBatch } from './batch-panel.js';
import { resume, start } from './batch-stream.js';
import { dropZone, fileInput } from './ui.js';

fileInput.addEventListener('change', () => {
  void start([...(fileInput.files ?? [])]);
  fileInput.value = '';
});
for (const type of ['dragenter', 'dragover'] as const) {
  dropZone.addEventListener(type, (ev) => {
    ev.preventDefault();
    dropZone.classList.add('over');
  });
}
for (const type of ['dragleave', 'drop'] as const) {
  dropZone.addEventListener(type, () => dropZone.classList.remove('over'));
}
dropZone.addEventListener('drop', (ev) => {
  ev.preventDefault();
  void start([...(ev.dataTransfer?.files ?? [])]);
});
// Drops outside the zone must not navigate away from the page.
window.addEventListener('dragover', (ev) => ev.preventDefault());
window.addEventListener('drop', (ev) => ev.preventDefault());

const initial = new URLSearchParams(location.search).get('batch');
if (initial) void resume(initial);
else renderBatch();
