// Scripts for the pages, served as files so that the Content-Security-Policy allows no inline
// script (src/http/security-headers.ts).
import type { Context } from "hono";

export const COPY_BUTTONS_PATH = "/assets/copy-buttons.js";

// Copy buttons: the only script. Without JavaScript the text is still there to select.
const COPY_BUTTONS = `document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent).then(function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); });
});
`;

export function serveCopyButtons(c: Context): Response {
  return c.body(COPY_BUTTONS, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" });
}
