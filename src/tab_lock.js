export function requestLock(name, ifAvailable, granted) {
  if (!navigator.locks) return false;
  navigator.locks.request(name, { ifAvailable }, (l) => (l ? new Promise(granted) : granted(null))).catch(() => {});
  return true;
}
