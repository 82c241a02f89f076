import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { describeApiError, maskCardNumbers } from '../../lib/cybersource/apiErrors';
import { OAuth2Error } from '../../lib/oauth2/errors';
import { classifyNetworkFailure } from '../../lib/oauth2/networkFailure';

// Every error the node throws is built here, from the answer's status and body (or our own
// message) only: never from the HTTP library's error, whose request config carries the card
// number and the Authorization header.

/** Errors of our own pass through; field errors name the field; anything else keeps only its message. */
export function asNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof OAuth2Error && error.kind === 'configuration') return invalidInput(node, error.message, itemIndex);
	return requestFailed(node, error, itemIndex);
}

export function invalidInput(node: INode, message: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(node, message, { itemIndex });
}

export function apiError(node: INode, status: number, body: unknown, itemIndex: number): NodeApiError {
	const { message, description } = describeApiError(status, body);
	const safe = { message, description: description ?? '', httpCode: String(status) } as JsonObject;
	return new NodeApiError(node, safe, { message, description, httpCode: String(status), itemIndex });
}

/**
 * An error from our credentials (token fetch, field checks) or from reading the credential. A
 * Cybersource request that got no answer is explained by `noAnswer` instead (the transport tells
 * the two apart), so this keeps only the message, card numbers masked.
 */
export function requestFailed(node: INode, error: unknown, itemIndex: number): NodeApiError {
	const record = (typeof error === 'object' && error !== null ? error : {}) as {
		httpCode?: string | null;
		context?: { data?: unknown };
		message?: string;
		cause?: unknown;
	};
	const status = Number(record.httpCode);
	if (Number.isInteger(status) && status >= 400 && record.context?.data !== undefined) {
		return apiError(node, status, record.context.data, itemIndex);
	}
	const cause = record.cause as OAuth2Error | undefined;
	const text = maskCardNumbers(cause instanceof OAuth2Error ? cause.message : (record.message ?? 'The request failed'));
	return new NodeApiError(node, { message: text } as JsonObject, { message: text, itemIndex });
}

/** A request that moves money, its merchant transaction ID, and the operation that cancels it after a lost answer. */
export interface MoneyMove {
	id: string;
	cancelBy: 'Timeout Reversal' | 'Timeout Void';
}

/**
 * Cybersource refused the merchant transaction ID as used before: the same item was sent before
 * (n8n ran the execution again, or another order carries the same ID). Nothing was charged now.
 */
const alreadySentErrors = new WeakSet<object>();

export function isAlreadySent(error: unknown): error is NodeApiError {
	return typeof error === 'object' && error !== null && alreadySentErrors.has(error);
}

export function alreadySent(node: INode, move: MoneyMove, itemIndex: number): NodeApiError {
	const message = `Cybersource refused Merchant Transaction ID ${move.id} as already used: this request was sent before and was not processed again.`;
	const description =
		`If n8n ran this execution again (a worker stopped, a retry), the first request arrived: find it with Transaction > Search by your client reference code, or cancel it with Payment > ${move.cancelBy} and this ID. ` +
		'If this is a different order, give it its own Merchant Transaction ID (unique for 180 days).';
	const error = new NodeApiError(node, { message, description } as JsonObject, { message, description, httpCode: '400', itemIndex });
	alreadySentErrors.add(error);
	return error;
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A Cybersource request that got no answer. n8n's own message for that ("You can retry the
 * request immediately") is wrong for a payment: a request that went out may have been
 * processed. Only the error's codes and n8n's wording are read, never its request config.
 */
export function noAnswer(node: INode, error: unknown, itemIndex: number, request: { method: string; timeoutSeconds: number; merchantTransactionId?: MoneyMove }): NodeApiError {
	const failure = classifyNetworkFailure(error);
	let message: string;
	let description: string;
	if (failure.kind === 'not-connected') {
		message = 'Could not connect to Cybersource; nothing was sent.';
		description = 'Check the API host of the credential, the network, and for mutual TLS the certificate fields. The request can be run again.';
	} else {
		message =
			failure.kind === 'timed-out'
				? `Cybersource did not answer within ${request.timeoutSeconds} s (the node's Timeout).`
			: 'The connection to Cybersource closed before its answer arrived.';
		description = CHANGES.has(request.method.toUpperCase())
			? 'The request was sent and may have been processed; it was not sent again. Look it up first (Transaction > Search by your client reference code, or Get by ID) and retry only if it is not there.'
			: 'This request changes nothing at Cybersource; it can be run again.';
		message = `${message} ${description.split(';')[0]}.`;
		const move = request.merchantTransactionId;
		if (move !== undefined) {
			message = `${message} Merchant Transaction ID: ${move.id}.`;
			description = `${description} Its Merchant Transaction ID is ${move.id}: after 60 seconds, Payment > ${move.cancelBy} with this ID cancels it if it arrived; sent again with the same ID, Cybersource refuses it rather than charging twice.`;
			const error = new NodeApiError(node, { message, description } as JsonObject, { message, description, itemIndex });
			unknownFates.set(error, move);
			return error;
		}
	}
	return new NodeApiError(node, { message, description } as JsonObject, { message, description, itemIndex });
}

/** Requests that moved money and got no answer: their merchant transaction ID and how to cancel them. */
const unknownFates = new WeakMap<object, MoneyMove>();

/**
 * For an error item (Continue On Fail, the error output): the Merchant Transaction ID of a
 * payment whose answer was lost and the operation that cancels it, so that a workflow branch
 * can cancel it without parsing the message.
 */
export function unknownFateOf(error: unknown): { merchantTransactionId: string; cancelWith: MoneyMove['cancelBy'] } | undefined {
	const move = typeof error === 'object' && error !== null ? unknownFates.get(error) : undefined;
	return move === undefined ? undefined : { merchantTransactionId: move.id, cancelWith: move.cancelBy };
}
