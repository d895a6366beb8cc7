// Who is logged in on this phone: a login that expired, a worker logging out.

let needLogin = false; // the server no longer knows us: the outbox waits for a new login
let leaving = false; // logging out: keep nothing more of this worker's lists

export const loginNeeded = () => needLogin;

export function askLogin(on) {
  needLogin = on;
  document.getElementById("relogin").hidden = !on;
}

export const isLeaving = () => leaving;

export function leave() {
  leaving = true;
}
