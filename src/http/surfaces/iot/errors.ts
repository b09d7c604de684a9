/** Seed 003 shows no error bodies; Tessera answers RFC 9457 problem JSON with `problemStatus`. */
export { renderProblem as renderIotError } from '../../shared/error-handler.js';
