// The token provider arrives a moment after the first render, as React's useEffect or a
// portal's session request sets it. `?never` leaves it out, so submitting must say so.
// Every configuration error the widget shows is recorded (a one-frame flash counts too).
window.__configErrors = 0;
const el = document.getElementById("w");
addEventListener("abrir-chamado:ready", () => {
  new MutationObserver(() => {
    if (el.shadowRoot.querySelector(".ac-config-error")) window.__configErrors++;
  }).observe(el.shadowRoot, { childList: true, subtree: true });
  if (el.shadowRoot.querySelector(".ac-config-error")) window.__configErrors++;
  if (!location.search.includes("never")) {
    requestAnimationFrame(() => (el.tokenProvider = () => Promise.resolve("demo-token")));
  }
});
