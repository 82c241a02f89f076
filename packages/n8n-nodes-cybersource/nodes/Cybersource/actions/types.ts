import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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
	/** One item in, one result (or several, e.g. a search) out. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

export type ResourceOperations = Record<string, Operation>;
