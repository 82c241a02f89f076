import * as n8nWorkflow from 'n8n-workflow';

import { OAuth2Error } from '../oauth2/errors';

/**
 * Whether n8n's `httpRequest` helpers can carry a client certificate (mutual TLS). n8n 2.x's
 * honour `agentOptions`; n8n 1.x's build their TLS options from scratch and drop them: there
 * only the deprecated `request` helpers would carry the certificate, and this package uses none
 * (../shared/DESIGN.md §5). The two lines are told apart by n8n-workflow, which is n8n's own copy
 * at run time (n8n installs a community package without its peer dependencies): 2.x exports the
 * version of its nodes API, 1.x does not. Checked with n8n 1.123.81 and 2.40.7.
 */
export function helpersCarryClientCertificates(workflowModule: object = n8nWorkflow): boolean {
	return 'N8N_NODES_API_VERSION' in workflowModule;
}

/**
 * Whether an item on a node's error output (On Error: Continue (using error output)) may carry
 * `details`. n8n sends an item there when its JSON holds only `error`, `message` and `details`
 * (2.x) or only `error`, or `error` and `message` (1.x), and adds the item's input to it. (An
 * item with an `error` property is routed too, but both lines then cut its JSON to `{ error }`.)
 * Checked in n8n-core's `handleNodeErrorOutput` of 1.123.81 and 2.40.7 and with both CLIs.
 */
export function errorOutputTakesDetails(workflowModule: object = n8nWorkflow): boolean {
	return helpersCarryClientCertificates(workflowModule);
}

/** The refusal on n8n 1.x, before any request: the Cybersource OAuth2 credential is the only one with a client certificate. */
export function requireClientCertificateSupport(): void {
	if (helpersCarryClientCertificates()) return;
	throw new OAuth2Error(
		'configuration',
		`The Cybersource OAuth2 API credential needs n8n 2.0 or later. It connects with a client certificate (mutual TLS), which n8n 1.x's HTTP helpers do not send, so no request was made. Update n8n to 2.x, or use the Cybersource API (merchant key) credential, which works on n8n 1.x too.`,
	);
}
