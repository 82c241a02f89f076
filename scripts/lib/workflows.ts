import { readFileSync } from 'node:fs';

import type { IConnections, IDataObject, INode, INodeType, IRun } from 'n8n-workflow';

import { Cybersource } from '../../packages/n8n-nodes-cybersource/nodes/Cybersource/Cybersource.node';
import { CybersourceTrigger } from '../../packages/n8n-nodes-cybersource/nodes/CybersourceTrigger/CybersourceTrigger.node';
import type { TestCredentialsHelper } from '../../test/harness/credentials-helper';
import { runWorkflow, START_NODE_TYPE } from '../../test/harness/engine';
import { API_CALL_NODE_TYPE, ApiCall } from '../../test/harness/nodes/ApiCall.node';
import { WebhookHost } from '../../test/harness/webhookHost';

/**
 * Runs the workflow files of examples/ (the ones a user imports into n8n) through n8n-core's
 * engine. n8n-nodes-base is not installed here, so two kinds of stand-ins: the node that feeds
 * the Cybersource part (the example's Split Out, or its Manual Trigger) becomes a start node
 * that emits the given items (by default what the example's Edit Fields node holds), and the
 * HTTP Request node is the test harness's ApiCall, which makes the same helper calls with a
 * predefined credential type. The real n8n CLI runs the files as they are (npm run test:n8n).
 */
export interface WorkflowFile {
	name: string;
	nodes: INode[];
	connections: IConnections;
}

export function loadWorkflow(path: string): WorkflowFile {
	return JSON.parse(readFileSync(path, 'utf8')) as WorkflowFile;
}

/** The items an example's Edit Fields node (JSON mode) produces, split on `field` when given. */
export function exampleItems(file: WorkflowFile, setNode: string, field?: string): IDataObject[] {
	const node = file.nodes.find((candidate) => candidate.name === setNode);
	if (node === undefined) throw new Error(`${file.name} has no node "${setNode}"`);
	const json = JSON.parse(node.parameters.jsonOutput as string) as IDataObject;
	return field === undefined ? [json] : (json[field] as IDataObject[]);
}

const NODE_TYPES: Record<string, INodeType> = {
	'n8n-nodes-cybersource.cybersource': new Cybersource(),
	[API_CALL_NODE_TYPE]: new ApiCall(),
};

function reachableFrom(file: WorkflowFile, start: string): Set<string> {
	const seen = new Set([start]);
	const queue = [start];
	while (queue.length > 0) {
		const name = queue.shift() as string;
		for (const outputs of file.connections[name]?.main ?? []) {
			for (const connection of outputs ?? []) {
				if (!seen.has(connection.node)) {
					seen.add(connection.node);
					queue.push(connection.node);
				}
			}
		}
	}
	return seen;
}

function standIn(node: INode, trigger: string): INode {
	if (node.name === trigger) return { ...node, type: START_NODE_TYPE, parameters: {} };
	if (node.type === 'n8n-nodes-base.httpRequest') {
		const p = node.parameters;
		return {
			...node,
			typeVersion: 1,
			parameters: { credentialType: p.nodeCredentialType, url: p.url, method: p.method ?? 'GET', helper: 'requestWithAuthentication' },
		};
	}
	return node;
}

/** Runs what `trigger` (a node of the example) reaches, that node emitting `items`. */
export async function runFromTrigger(
	file: WorkflowFile,
	trigger: string,
	credentialsHelper: TestCredentialsHelper,
	items: IDataObject[] = [{}],
): Promise<IRun> {
	const included = reachableFrom(file, trigger);
	const nodes = file.nodes.filter((node) => included.has(node.name)).map((node) => standIn(node, trigger));
	const connections: IConnections = Object.fromEntries(Object.entries(file.connections).filter(([name]) => included.has(name)));
	return await runWorkflow({ nodeTypes: NODE_TYPES, nodes, connections, credentialsHelper, items });
}

/**
 * Serves an example's trigger node as n8n's CLI does (test/harness/webhookHost.ts): activation,
 * its webhooks on 127.0.0.1 for `publicBaseUrl`, one run per accepted request. The nodes after
 * it need n8n-nodes-base, so here the runs end at the trigger (the real CLI runs the whole file).
 */
export function triggerHost(file: WorkflowFile, trigger: string, credentialsHelper: TestCredentialsHelper, publicBaseUrl: string): WebhookHost {
	const node = file.nodes.find((candidate) => candidate.name === trigger);
	if (node === undefined) throw new Error(`${file.name} has no node "${trigger}"`);
	return new WebhookHost({
		nodeTypes: { [node.type]: new CybersourceTrigger() },
		nodes: [node],
		connections: {},
		trigger,
		credentialsHelper,
		publicBaseUrl,
	});
}
