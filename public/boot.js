// Loads the app's wasm-bindgen module. An external file, because the Content-Security-Policy allows no
// inline script; the hashed file names come from the data attributes Trunk writes (Trunk.toml). It runs as
// soon as it arrives (`async`): the app's JavaScript and wasm are imported and compiled while the page is
// still being read. That first module only loads the app itself (src/lib.rs `start`), when the page wants it:
const tag = document.querySelector('script[data-js][data-wasm]');

// - at once for a deep link (any address but the connect screen's, or 404.html's `deep-link`) or a returning
//   visitor (something of Deploydeck's kept in this browser), who go straight to a screen;
// - for a new visitor on the connect screen, which is static (index.html: it shows and takes typing and a
//   Connect press without the app), once that screen has been painted — or at the first interaction, if that
//   comes first: the first paint never waits for the app's bytes (issue 30).
// Once wanted, the app's module starts downloading at once (a preload the split loader's own fetch then takes),
// beside the first module rather than after it.
let wanted;
window.deploydeckWanted = new Promise((resolve) => { wanted = resolve; });
const want = () => {
  if (!wanted) return;
  wanted();
  wanted = undefined;
  if (!tag.dataset.app) return; // a development build: one module
  if (document.querySelector(`link[rel=preload][href="${tag.dataset.app}"]`)) return; // 404.html's own
  const link = document.createElement('link');
  Object.assign(link, { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', type: 'application/wasm', href: tag.dataset.app });
  document.head.append(link);
};
const kept = (storage) => {
  try {
    return Object.keys(storage()).some((key) => key.startsWith('deploydeck.'));
  } catch {
    return false;
  }
};
if (location.pathname !== tag.dataset.deploydeckBase || document.documentElement.classList.contains('deep-link')
  || kept(() => localStorage) || kept(() => sessionStorage)) {
  want();
} else {
  for (const type of ['pointerdown', 'keydown', 'focusin', 'touchstart']) {
    addEventListener(type, () => want(), { once: true, capture: true, passive: true });
  }
  // The next frame's callback runs before that frame is painted; a task queued from it runs after.
  const painted = () => requestAnimationFrame(() => setTimeout(want, 0));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', painted, { once: true });
  else painted();
}

// The wasm (preloaded by index.html) is compiled beside the import of its JavaScript, not after. A host that
// serves it with the wrong type makes compileStreaming fail: the app's own loader then fetches it itself.
const compiled = WebAssembly.compileStreaming?.(fetch(tag.dataset.wasm)).catch(() => undefined);
const imported = import(tag.dataset.js);
if (document.readyState === 'loading') {
  await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
}

// Until the app takes over the static first screen (src/boot.rs), pressing its Connect (or Enter in one of its
// fields) is remembered on the screen: the app then connects at once with what was typed. If the app could not
// be fetched, the next press tries again (`deploydeckPressed`).
const screen = document.getElementById('boot-screen');
const button = screen?.querySelector('.boot-connect button');
const pressed = [];
window.deploydeckPressed = () => new Promise((resolve) => pressed.push(resolve));
if (screen && button) {
  const ask = () => {
    screen.dataset.connectRequested = 'yes';
    button.textContent = 'Checking the token…';
    want();
    for (const resolve of pressed.splice(0)) resolve();
  };
  button.addEventListener('click', ask);
  screen.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target instanceof HTMLInputElement) ask();
  });
}

const { default: init } = await imported;
await init({ module_or_path: (await compiled) ?? tag.dataset.wasm });
