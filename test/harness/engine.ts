/**
 * Runs workflows through n8n's real engine (n8n-core `WorkflowExecute`, n8n-workflow `Workflow`)
 * without the n8n server. Mirrors how the CLI starts a sub-workflow execution
 * (packages/cli/src/workflow-execute-additional-data.ts: getRunData + startExecution + getBase):
 * the start node is put on the execution stack with the input items, and
 * `WorkflowExecute.processRunExecutionData` runs the graph from there.
 *
 * Process-wide setup (see `ensureEngineEnvironment`):
 * - `N8N_USER_FOLDER`: n8n-core's `InstanceSettings` (constructed by every node execution
 *   context) creates `<folder>/.n8n/config` with an encryption key. Unless the variable is set
 *   already, it is pointed at `<os tmpdir>/n8n-harness-user-folder-<uid>` so nothing is written
 *   to the home folder.
 * - DI (`@n8n/di`): `httpRequest`, `httpRequestWithAuthentication` and the legacy
 *   `request`/`requestWithAuthentication` all call `Container.get(OutboundHttp)`
 *   (@n8n/backend-network). It resolves on its own from the container (SsrfProtectionService,
 *   SsrfProtectionConfig, Logger are all `@Service()`s built from env defaults). SSRF protection
 *   is off by default (N8N_SSRF_PROTECTION_ENABLED unset), which the tests need to reach
 *   127.0.0.1; `ensureEngineEnvironment` asserts that.
 * Concurrent `runWorkflow` calls are independent: each gets its own `Workflow`,
 * `WorkflowExecute`, additional data and lifecycle hooks. Only the credentials helper you pass
 * (and the DI singletons) are shared.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

import { Container } from '@n8n/di';
import { OutboundHttp } from '@n8n/backend-network';
import { SsrfProtectionConfig } from '@n8n/config';
import { ExecutionLifecycleHooks, ExternalSecretsProxy, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	IConnections,
	ICredentialsHelper,
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

// ------------------------------------------------------------------ environment

let environmentReady = false;

/**
 * Idempotent process-wide setup. Called by `runWorkflow` and `testCredential`; call it yourself
 * before using n8n-core contexts directly.
 */
export function ensureEngineEnvironment(): void {
	if (environmentReady) return;
	if (!process.env.N8N_USER_FOLDER) {
		// One fixed folder per OS user, reused by every run: jest's sandboxed `process` never
		// delivers 'exit', so a per-run folder could not be cleaned up reliably.
		const folder = join(tmpdir(), `n8n-harness-user-folder-${process.getuid?.() ?? 'user'}`);
		mkdirSync(folder, { recursive: true });
		process.env.N8N_USER_FOLDER = folder;
	}
	if (Container.get(SsrfProtectionConfig).enabled) {
		throw new Error(
			'n8n SSRF protection is enabled (N8N_SSRF_PROTECTION_ENABLED): requests to 127.0.0.1 would be blocked',
		);
	}
	// Fails here, not in the middle of a node, if the DI graph cannot be built.
	Container.get(OutboundHttp);
	environmentReady = true;
}

// ------------------------------------------------------------------ node types

/** A tiny start node: passes the items it is started with through (like a trigger's output). */
export const START_NODE_TYPE = 'harness.start';
export const START_NODE_NAME = 'Start';

export class StartNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Start',
		name: START_NODE_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Emits the items the harness starts the execution with',
		defaults: { name: START_NODE_NAME },
		inputs: [],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData().map((item, index) => ({ json: item.json, pairedItem: { item: index } }))];
	}
}

/** `INodeTypes` over a plain record, as the CLI's NodeTypes does over loaded nodes. */
export class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unrecognized node type: ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(
			Object.keys(this.types).map((name) => [name, { className: name, sourcePath: '' }]),
		);
	}
}

// ------------------------------------------------------------------ additional data

export interface AdditionalDataOptions {
	credentialsHelper: ICredentialsHelper;
	executionId?: string;
	workflowId?: string;
	variables?: IDataObject;
	workflowSettings?: IWorkflowSettings;
}

const BASE_URL = 'http://localhost:5678';

/**
 * Minimal but complete `IWorkflowExecuteAdditionalData`, shaped like the CLI's `getBase`.
 * Features the harness has no backend for (sub-workflows, task runners, stored executions)
 * throw when a node reaches them.
 */
export function createAdditionalData(options: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	ensureEngineEnvironment();
	const unsupported = (what: string) => async () => {
		throw new Error(`${what} is not supported by the test harness`);
	};
	return {
		currentNodeExecutionIndex: 0,
		credentialsHelper: options.credentialsHelper,
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: unsupported('getRunExecutionData'),
		getRuntimeCredential: async () => undefined,
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: `${BASE_URL}/`,
		formBaseUrl: `${BASE_URL}/form`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		formTestBaseUrl: `${BASE_URL}/form-test`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		mcpBaseUrl: `${BASE_URL}/mcp`,
		mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
		variables: options.variables ?? {},
		logAiEvent: () => {},
		startRunnerTask: unsupported('startRunnerTask'),
		externalSecretsProxy: Container.get(ExternalSecretsProxy),
		executionId: options.executionId,
		workflowId: options.workflowId,
		workflowSettings: options.workflowSettings,
	};
}

// ------------------------------------------------------------------ running

export interface RunWorkflowOptions {
	/** Node types by type name (`INode.type`). The harness adds `StartNode` itself. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** The workflow's nodes. A start node (`START_NODE_TYPE`) is added when none is present. */
	nodes: INode[];
	/** Connections; default: a chain Start → nodes[0] → nodes[1] → ... */
	connections?: IConnections;
	credentialsHelper: ICredentialsHelper;
	/** JSON of the items the start node emits; default one empty item. */
	items?: IDataObject[];
	/** Execution mode; default 'manual' (like a run from the editor). */
	mode?: WorkflowExecuteMode;
	settings?: IWorkflowSettings;
	variables?: IDataObject;
	workflowId?: string;
	executionId?: string;
	/** Called with the additional data before the run, e.g. to add hook handlers. */
	configureAdditionalData?: (additionalData: IWorkflowExecuteAdditionalData) => void;
	/**
	 * Start at this node of `nodes` (no harness start node), with `items` as its input: how the
	 * CLI runs a workflow from a webhook trigger's output.
	 */
	startNodeName?: string;
}

function chainConnections(names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/**
 * Executes a workflow and resolves with the engine's `IRun` (also when a node failed: look at
 * `errorOf(run)`). Rejects only if the engine itself throws.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<IRun> {
	ensureEngineEnvironment();
	const mode = options.mode ?? 'manual';
	const executionId = options.executionId ?? randomUUID();
	const workflowId = options.workflowId ?? `harness-${executionId}`;

	// Nodes are copied: `new Workflow()` writes parameter defaults into the node objects.
	const nodes = options.nodes.map((node) => structuredClone(node));
	let startNode = options.startNodeName !== undefined ? nodes.find((node) => node.name === options.startNodeName) : nodes.find((node) => node.type === START_NODE_TYPE);
	if (options.startNodeName !== undefined && !startNode) throw new Error(`runWorkflow: no node named ${options.startNodeName}`);
	if (!startNode && nodes.some((node) => node.name === START_NODE_NAME)) {
		// Connections are by name: a node of the workflow named like the start node would loop forever.
		throw new Error(`runWorkflow: "${START_NODE_NAME}" is the harness's start node; give your node another name`);
	}
	if (!startNode) {
		startNode = {
			id: randomUUID(),
			name: START_NODE_NAME,
			type: START_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		nodes.unshift(startNode);
	}
	const connections = options.connections ?? chainConnections(nodes.map((node) => node.name));

	const nodeTypes = new HarnessNodeTypes({ [START_NODE_TYPE]: new StartNode(), ...options.nodeTypes });
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...options.settings };
	const workflowData: IWorkflowBase = {
		id: workflowId,
		name: workflowId,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings,
	};
	const workflow = new Workflow({
		id: workflowId,
		name: workflowId,
		nodes,
		connections,
		active: false,
		nodeTypes,
		settings,
	});

	const additionalData = createAdditionalData({
		credentialsHelper: options.credentialsHelper,
		executionId,
		workflowId,
		variables: options.variables,
		workflowSettings: settings,
	});
	// WorkflowExecute asserts that lifecycle hooks exist; no handlers are needed.
	additionalData.hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	options.configureAdditionalData?.(additionalData);

	// As the CLI's getRunData: the start node goes on the stack with the input items.
	const items = (options.items ?? [{}]).map((json) => ({ json: structuredClone(json) }));
	const nodeExecutionStack: IExecuteData[] = [
		{ node: workflow.getNode(startNode.name)!, data: { main: [items] }, source: null },
	];
	const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack } });

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	return await workflowExecute.processRunExecutionData(workflow);
}

// ------------------------------------------------------------------ reading results

/** Items (with `pairedItem`, `error`, ...) a node produced in a run; [] if it did not run. */
export function itemsOf(run: IRun, nodeName: string, runIndex = 0, outputIndex = 0): INodeExecutionData[] {
	return run.data.resultData.runData[nodeName]?.[runIndex]?.data?.main?.[outputIndex] ?? [];
}

/** The JSON of the items a node produced in a run. */
export function outputOf(run: IRun, nodeName: string, runIndex = 0, outputIndex = 0): IDataObject[] {
	return itemsOf(run, nodeName, runIndex, outputIndex).map((item) => item.json);
}

/** The execution's error (the first node error that stopped it), if any. */
export function errorOf(run: IRun): ExecutionError | undefined {
	return run.data.resultData.error;
}
