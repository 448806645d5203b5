/**
 * The container's HEALTHCHECK: GET /_sim/health on this host (no credentials: the route is public),
 * exit 0 when it answers 200. The image has no curl; this is a few lines of Node instead.
 * VCENTER_SIM_HEALTH_URL overrides the address (default https://127.0.0.1:8989/_sim/health).
 */
import { get as getHttp } from 'node:http';
import { get as getHttps } from 'node:https';

const url = process.env.VCENTER_SIM_HEALTH_URL ?? 'https://127.0.0.1:8989/_sim/health';
const get = url.startsWith('https:') ? getHttps : getHttp;
const request = get(url, { rejectUnauthorized: false, timeout: 2000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', () => process.exit(1));
