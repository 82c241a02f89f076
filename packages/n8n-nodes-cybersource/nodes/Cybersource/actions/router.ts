import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorOutputTakesDetails } from '../../../lib/n8n/n8nLine';
import { asNodeError, invalidInput, unknownFateOf } from '../errors';
import { simplifyTransaction } from '../../../lib/cybersource/simplify';
import { operationOf, SIMPLIFY_VERSION } from './resources';
import { isFileResult } from './types';

/** The most items the node sends at once (Request Options > Concurrency). */
export const MAX_CONCURRENCY = 50;

type Outcome = { output: INodeExecutionData[] } | { failure: NodeApiError | NodeOperationError };

/**
 * Runs the chosen operation for every item and pairs each result with its item.
 *
 * - **Concurrency** (Request Options, node version 2): how many items are in flight at once;
 *   1, the default, sends them one after another. Items start in order.
 * - **A failure** without Continue On Fail stops the run from starting more items; the requests
 *   in flight finish, and the error lists every item that was processed (its ID and client
 *   reference code), so that nothing charged is lost from view. Nothing is ever resent here.
 * - **Continue On Fail**: every item's result or error, in item order: `{ error, description, … }`
 *   on the regular output, `{ error, details }` with the item's input on the error output.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	// One resource and operation per node: n8n drops an operation an expression would choose.
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = operationOf(resource, operation);
	const node = this.getNode();
	const errorOutput = node.onError === 'continueErrorOutput';
	const continueOnFail = this.continueOnFail();
	const concurrency = concurrencyOf(this, node.typeVersion);

	const outcomes: Outcome[] = new Array<Outcome>(items.length);
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < items.length) {
			const i = next++;
			try {
				if (selected === undefined) {
					throw invalidInput(node, `Operation "${operation}" of resource "${resource}" is not supported.`, i);
				}
				const answer = await selected.execute.call(this, i);
				if (isFileResult(answer)) {
					outcomes[i] = { output: [{ json: answer.json, binary: answer.binary, pairedItem: { item: i } }] };
					continue;
				}
				const simplify = selected.simplify === true && node.typeVersion >= SIMPLIFY_VERSION && this.getNodeParameter('simplify', i, true) === true;
				const result = simplify ? (Array.isArray(answer) ? answer : [answer]).map((entry) => simplifyTransaction(entry) as unknown as IDataObject) : answer;
				const data = this.helpers.returnJsonArray(result as IDataObject | IDataObject[]);
				outcomes[i] = { output: this.helpers.constructExecutionMetaData(data, { itemData: { item: i } }) };
			} catch (error) {
				outcomes[i] = { failure: asNodeError(node, error, i) };
				if (!continueOnFail) stopped = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));

	if (!continueOnFail) {
		const first = outcomes.find((outcome): outcome is { failure: NodeApiError | NodeOperationError } => outcome !== undefined && 'failure' in outcome);
		if (first !== undefined) throw withProcessedItems(first.failure, outcomes);
	}
	const results: INodeExecutionData[] = [];
	outcomes.forEach((outcome, i) => {
		if ('output' in outcome) {
			results.push(...outcome.output);
			return;
		}
		const failure = outcome.failure;
		// A payment whose answer was lost carries its Merchant Transaction ID and how to cancel it.
		const details: IDataObject = { ...(failure.description ? { description: failure.description } : {}), ...unknownFateOf(failure) };
		if (!errorOutput) {
			results.push({ json: { error: failure.message, ...details }, pairedItem: { item: i } });
			return;
		}
		// To the error output, where n8n adds the item's input (see errorOutputTakesDetails; on
		// n8n 1.x only the description fits, as `message`).
		const json = errorOutputTakesDetails()
			? { error: failure.message, ...(Object.keys(details).length > 0 ? { details } : {}) }
			: { error: failure.message, ...(failure.description ? { message: failure.description } : {}) };
		results.push({ json, pairedItem: { item: i } });
	});
	return [results];
}

function concurrencyOf(context: IExecuteFunctions, version: number): number {
	if (version < 2) return 1;
	const value = context.getNodeParameter('requestOptions.concurrency', 0, 1) as unknown;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CONCURRENCY) {
		throw invalidInput(context.getNode(), `Concurrency: ${String(value)} is not a whole number from 1 to ${MAX_CONCURRENCY}.`, 0);
	}
	return value;
}

/**
 * The run stopped at a failure: the error's description lists the items that were processed
 * before it or alongside it (with concurrency), since n8n keeps no output of a node that fails.
 */
function withProcessedItems(failure: NodeApiError | NodeOperationError, outcomes: Outcome[]): NodeApiError | NodeOperationError {
	const processed: string[] = [];
	const failed: number[] = [];
	outcomes.forEach((outcome, i) => {
		if (outcome === undefined) return;
		if ('failure' in outcome) {
			if (outcome.failure !== failure) failed.push(i);
			return;
		}
		for (const { json } of outcome.output) {
			const reference = (json.clientReferenceInformation ?? {}) as IDataObject;
			const parts = [typeof json.id === 'string' ? `ID ${json.id}` : undefined, typeof json.status === 'string' ? json.status : undefined, typeof reference.code === 'string' ? `reference ${reference.code}` : undefined];
			processed.push(`item ${i}: ${parts.filter((part) => part !== undefined).join(', ') || 'done'}`);
		}
	});
	if (processed.length === 0 && failed.length === 0) return failure;
	const lines = [
		...(processed.length > 0 ? [`Processed before the run stopped (${processed.length}): ${processed.join('; ')}.`] : []),
		...(failed.length > 0 ? [`Also failed: item ${failed.join(', item ')}.`] : []),
	];
	failure.description = [failure.description, ...lines].filter((line) => typeof line === 'string' && line !== '').join('\n\n');
	return failure;
}
