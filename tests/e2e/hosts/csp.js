// No inline script under this CSP: everything the page does lives in files like this one.
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
document.getElementById("w").tokenProvider = () => Promise.resolve("demo-token");
