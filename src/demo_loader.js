// Loads the demo simulator (crates/demo-wasm) once, the first time the demo is used: a same-origin module
// import, which the Content-Security-Policy allows (no eval, no inline script).
let loading;

export function loadDemo(url) {
  if (!loading) {
    loading = import(url)
      .then(async (module) => {
        await module.default();
        return module;
      })
      .catch((error) => {
        loading = undefined;
        throw error;
      });
  }
  return loading;
}

export function demoHandle(module, request, nowMs) {
  return module.handle(request, nowMs);
}
