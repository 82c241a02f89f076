import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** An item with a file (a report download): made with `fileResult`, recognised by the router. */
export interface FileResult {
	json: IDataObject;
	binary: IBinaryKeyData;
}

const fileResults = new WeakSet<object>();

export function fileResult(json: IDataObject, binary: IBinaryKeyData): FileResult {
	const result = { json, binary };
	fileResults.add(result);
	return result;
}

export function isFileResult(value: unknown): value is FileResult {
	return typeof value === 'object' && value !== null && fileResults.has(value);
}

/** One operation: its fields (shown only for it) and what it does for one item. */
export interface Operation {
	/** Shown in the operation picker. */
	name: string;
	action: string;
	description: string;
	/** Fields without displayOptions; the resource adds them. */
	fields: INodeProperties[];
	/** Whether the answer is about payments and gets the Simplify option (node version 3 on, lib/cybersource/simplify). */
	simplify?: true;
	/** One item in, one result (or several, e.g. a search, or a file) out. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[] | FileResult>;
}

export type ResourceOperations = Record<string, Operation>;
