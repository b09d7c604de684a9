/**
 * Seed 000 shows no error body; Tessera answers its errors as RFC 9457 problem JSON with the
 * statuses of `problemStatus` (401 for wrong credentials), like every RFC 9457 surface.
 */
export { renderProblem as renderIntegrationError } from '../../shared/error-handler.js';
