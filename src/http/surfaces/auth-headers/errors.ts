/**
 * Seed 001 names only statuses (401 incorrect credentials, 403 password expired); the bodies are
 * RFC 9457 problem JSON with the statuses of `problemStatus`.
 */
export { renderProblem as renderAuthHeadersError } from '../../shared/error-handler.js';
