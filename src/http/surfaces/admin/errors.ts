/**
 * The admin API renders core errors as RFC 9457 problem JSON, with the status of `problemStatus`
 * (http/shared/problem-map.ts), which covers every AuthErrorCode.
 */
export { renderProblem as renderAdminError } from '../../shared/error-handler.js';
