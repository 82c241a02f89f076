/**
 * Serves a trigger node's webhooks the way n8n's CLI does (packages/cli/src/webhooks:
 * live-webhooks.ts, webhook-helpers.ts, webhook.service.ts), on 127.0.0.1, without the server:
 * - activation runs `webhookMethods.default.checkExists` and, when it says no, `create`, in
 *   n8n-core's `HookContext` (activation 'activate', mode 'trigger'); deactivation runs `delete`;
 * - each request builds the workflow afresh from the saved static data (as the CLI does from its
 *   database), runs `webhook()` in n8n-core's `WebhookContext` with the request's raw body and
 *   parsed body (JSON or form, as n8n's body parser), answers 200 "Workflow was started" at once
 *   (responseMode onReceived) unless the node answered itself, saves the static data, and runs
 *   the workflow from the trigger's items through `WorkflowExecute`.
 * The request and response are Node's own objects with the few express methods nodes use
 * (`status`, `json`, `send`, `header`); the real CLI suite (`npm run test:n8n`) runs the same node in
 * n8n itself.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

import { HookContext, LoadOptionsContext, WebhookContext } from 'n8n-core';
import type {
	ICredentialsHelper,
	IConnections,
	IDataObject,
	INode,
	INodePropertyOptions,
	INodeType,
	IRun,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { createAdditionalData, HarnessNodeTypes, runWorkflow } from './engine';

export interface WebhookHostOptions {
	nodeTypes: Record<string, INodeType>;
	nodes: INode[];
	connections: IConnections;
	/** The trigger node's name. */
	trigger: string;
	credentialsHelper: ICredentialsHelper;
	/** The public base n8n advertises (WEBHOOK_URL), e.g. `https://n8n.example.test/`. */
	publicBaseUrl: string;
	workflowId?: string;
}

type HarnessRequest = IncomingMessage & { rawBody?: Buffer; body?: unknown; query?: IDataObject; params?: IDataObject; header(name: string): string | undefined };
type HarnessResponse = ServerResponse & { status(code: number): HarnessResponse; json(body: unknown): HarnessResponse; send(body?: unknown): HarnessResponse };

const MAX_BODY_BYTES = 1024 * 1024;

export class WebhookHost {
	/** Runs the workflow started, in order of start. */
	readonly executions: Promise<IRun>[] = [];
	/** The node static data as the CLI would have saved it. */
	staticData: IDataObject = {};
	private server?: Server;
	private base = '';
	private readonly workflowId: string;

	constructor(private readonly options: WebhookHostOptions) {
		this.workflowId = options.workflowId ?? 'webhook-host-workflow';
	}

	/** The trigger node's own static data (`getWorkflowStaticData('node')`), as saved. */
	get nodeStaticData(): IDataObject {
		return (this.staticData[`node:${this.options.trigger}`] ?? {}) as IDataObject;
	}

	/** `http://127.0.0.1:<port>`: where the public base is served. */
	get localUrl(): string {
		return this.base;
	}

	private workflow(): Workflow {
		return new Workflow({
			id: this.workflowId,
			name: `Workflow ${this.workflowId}`,
			nodes: this.options.nodes.map((node) => structuredClone(node)),
			connections: this.options.connections,
			active: true,
			nodeTypes: new HarnessNodeTypes(this.options.nodeTypes),
			staticData: structuredClone(this.staticData),
			settings: { executionOrder: 'v1' },
		});
	}

	private additionalData() {
		const data = createAdditionalData({ credentialsHelper: this.options.credentialsHelper, workflowId: this.workflowId });
		const base = this.options.publicBaseUrl.replace(/\/+$/, '');
		data.webhookBaseUrl = `${base}/webhook`;
		data.webhookTestBaseUrl = `${base}/webhook-test`;
		return data;
	}

	private save(workflow: Workflow): void {
		// As WorkflowStaticDataService.saveStaticData: only when a node changed it.
		if (workflow.staticData.__dataChanged === true) {
			const copy = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject; // as stored in the database
			delete copy.__dataChanged;
			this.staticData = copy;
		}
	}

	private nodeType(): INodeType {
		const node = this.options.nodes.find((entry) => entry.name === this.options.trigger)!;
		return this.options.nodeTypes[node.type];
	}

	private webhookData(workflow: Workflow, description: IWebhookDescription, httpMethod: string, isTest = false): IWebhookData {
		const node = workflow.getNode(this.options.trigger)!;
		return {
			httpMethod: httpMethod as IWebhookData['httpMethod'],
			node: node.name,
			path: `${node.webhookId}/${description.path}`,
			webhookDescription: description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: this.additionalData(),
			isTest,
		};
	}

	/**
	 * A `loadOptions` method as the editor calls it (n8n's DynamicNodeParametersService): in
	 * n8n-core's `LoadOptionsContext`, with the node's current parameters.
	 */
	async loadOptions(method: string, parameter: string): Promise<INodePropertyOptions[]> {
		const workflow = this.workflow();
		const node = workflow.getNode(this.options.trigger)!;
		const additionalData = this.additionalData();
		additionalData.currentNodeParameters = node.parameters;
		const context = new LoadOptionsContext(workflow, node, additionalData, `parameters.${parameter}`);
		return await this.nodeType().methods!.loadOptions![method].call(context);
	}

	/** Like WebhookService.createWebhookIfNotExists for the default webhook (the only one with methods). */
	async activate(activation: WorkflowActivateMode = 'activate', mode: 'trigger' | 'manual' = 'trigger'): Promise<void> {
		await this.lifecycle(async (methods, context) => {
			if (!(await methods.checkExists.call(context))) await methods.create.call(context);
		}, activation, mode);
	}

	async deactivate(mode: 'trigger' | 'manual' = 'trigger'): Promise<boolean> {
		let result = false;
		await this.lifecycle(async (methods, context) => {
			result = await methods.delete.call(context);
		}, 'activate', mode);
		return result;
	}

	private async lifecycle(
		run: (methods: NonNullable<NonNullable<INodeType['webhookMethods']>['default']>, context: HookContext) => Promise<void>,
		activation: WorkflowActivateMode,
		mode: 'trigger' | 'manual',
	): Promise<void> {
		const workflow = this.workflow();
		const description = this.nodeType().description.webhooks!.find((entry) => entry.name === 'default')!;
		const webhookData = this.webhookData(workflow, description, 'POST', mode === 'manual');
		const context = new HookContext(workflow, workflow.getNode(this.options.trigger)!, webhookData.workflowExecuteAdditionalData, mode, mode === 'manual' ? 'manual' : activation, webhookData);
		await run(this.nodeType().webhookMethods!.default!, context);
		this.save(workflow);
	}

	/** The public URL of a webhook (`default` or `setup`), as the node advertises it. */
	publicUrl(name: 'default' | 'setup'): string {
		const node = this.options.nodes.find((entry) => entry.name === this.options.trigger)!;
		const description = this.nodeType().description.webhooks!.find((entry) => entry.name === name)!;
		return `${this.options.publicBaseUrl.replace(/\/+$/, '')}/webhook/${node.webhookId}/${description.path}`;
	}

	async start(): Promise<void> {
		this.server = createServer((request, response) => {
			this.handle(request as HarnessRequest, response as HarnessResponse).catch((error: unknown) => {
				if (!response.headersSent) {
					response.statusCode = 500;
					response.end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
				} else response.destroy();
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		const server = this.server;
		this.server = undefined;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
		await Promise.allSettled(this.executions);
	}

	private async handle(request: HarnessRequest, response: HarnessResponse): Promise<void> {
		decorate(request, response);
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of request) {
			size += (chunk as Buffer).length;
			if (size > MAX_BODY_BYTES) {
				response.status(413).json({ message: 'too large' });
				return;
			}
			chunks.push(chunk as Buffer);
		}
		request.rawBody = Buffer.concat(chunks);
		const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		const text = request.rawBody.toString('utf8');
		try {
			if (text !== '' && contentType === 'application/json') request.body = JSON.parse(text);
			else if (text !== '' && contentType === 'application/x-www-form-urlencoded') request.body = parseQuery(text);
			else request.body = {};
		} catch {
			response.status(422).json({ message: 'Failed to parse request body' });
			return;
		}
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		request.query = Object.fromEntries(url.searchParams);
		request.params = {};

		const workflow = this.workflow();
		const node = workflow.getNode(this.options.trigger)!;
		const description = this.nodeType().description.webhooks!.find(
			(entry) => url.pathname === `/webhook/${node.webhookId}/${entry.path}` && String(entry.httpMethod).split(',').includes(request.method ?? ''),
		);
		if (!description) {
			response.status(404).json({ message: 'The requested webhook is not registered.' });
			return;
		}
		const webhookData = this.webhookData(workflow, description, request.method ?? 'POST');
		const additionalData = webhookData.workflowExecuteAdditionalData;
		additionalData.httpRequest = request as never;
		additionalData.httpResponse = response as never;
		const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
		const result: IWebhookResponseData = await this.nodeType().webhook!.call(context);
		this.save(workflow);
		// As n8n's WebhookHelpers: `noWebhookResponse` means the node answered itself; workflow
		// data, with or without it, starts a run.
		if (result.noWebhookResponse !== true) {
			response.status(200).json({ message: result.workflowData ? 'Workflow was started' : 'Webhook call received' });
		}
		if (!result.workflowData) return;
		const items = result.workflowData[0].map((item) => item.json);
		this.executions.push(
			runWorkflow({
				nodeTypes: this.options.nodeTypes,
				nodes: this.options.nodes,
				connections: this.options.connections,
				credentialsHelper: this.options.credentialsHelper,
				items,
				mode: 'webhook',
				workflowId: this.workflowId,
				startNodeName: this.options.trigger,
			}),
		);
	}
}

function decorate(request: HarnessRequest, response: HarnessResponse): void {
	request.header = (name: string) => {
		const value = request.headers[name.toLowerCase()];
		return Array.isArray(value) ? value[0] : value;
	};
	response.status = (code: number) => {
		response.statusCode = code;
		return response;
	};
	response.json = (body: unknown) => {
		if (!response.getHeader('content-type')) response.setHeader('content-type', 'application/json; charset=utf-8');
		response.end(JSON.stringify(body));
		return response;
	};
	response.send = (body?: unknown) => {
		response.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body ?? ''));
		return response;
	};
}
