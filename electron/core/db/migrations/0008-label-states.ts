/**
 * Step-wise labels for traces without explicit steps (issue 16): an agent's states are named in
 * the data (tool names, `GetRecipes`), not stored as steps, so a label records, by name, the last
 * state that succeeded and the first that failed. A pipeline's label keeps marking its first
 * failing step by index (`first_failing_step`); these two columns stay null there. A null last
 * success under a named first failure means the trace failed at its first state.
 */
export const sql = /* sql */ `
ALTER TABLE labels ADD COLUMN last_success_state TEXT CHECK (last_success_state IS NULL OR last_success_state <> '');
ALTER TABLE labels ADD COLUMN first_failure_state TEXT CHECK (first_failure_state IS NULL OR first_failure_state <> '');
`
