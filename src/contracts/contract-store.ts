/**
 * The contract example's persistence port: contract groups with their templates, clients, and
 * the generated contracts with their PDFs. Adapters: memory-contract-store.ts (the embedded
 * store) and mongo-contract-store.ts (collections beside the engine's, PDFs in GridFS).
 */
import type { Page, PageRequest } from '../extension.js';
import type { ContractTemplate } from './render-job.js';

export interface ContractGroup {
  id: string;
  name: string;
  template: ContractTemplate;
  createdAt: Date;
}

export interface Client {
  id: string;
  groupId: string;
  name: string;
  email: string;
  address: string;
}

export type NewClient = Omit<Client, 'id' | 'groupId'>;

export interface Contract {
  id: string;
  executionId: string;
  /** Who started the execution that created it: downloads and listings are limited to them. */
  startedBy: string | null;
  groupId: string;
  clientId: string;
  fileName: string;
  sizeBytes: number;
  createdAt: Date;
  /** The attempt of the execution that stored it (0 for contracts stored before attempts were kept). */
  attempt: number;
}

export type NewContract = Omit<Contract, 'sizeBytes' | 'startedBy'> & { startedBy?: string | null };

export interface ContractStore {
  /** `id` is generated unless given (the demo data uses stable ids so its examples can be pasted). */
  createGroup(group: { id?: string; name: string; title: string; body: string; at: Date }): Promise<ContractGroup>;
  getGroup(id: string): Promise<ContractGroup | null>;
  findGroupByName(name: string): Promise<ContractGroup | null>;
  listGroups(): Promise<ContractGroup[]>;
  /** Replaces the template and raises its version; null when the group does not exist. */
  updateTemplate(groupId: string, template: { title: string; body: string }): Promise<ContractGroup | null>;
  addClients(groupId: string, clients: NewClient[]): Promise<Client[]>;
  listClients(groupId: string): Promise<Client[]>;
  getClient(id: string): Promise<Client | null>;
  countClients(groupId: string): Promise<number>;
  /**
   * Stores contracts with their PDFs, a flow's batch in as few writes as the store can (one
   * insert on MongoDB when the PDFs are small), and returns the contract of each item, in order.
   * Unique per execution and client: a second save for the same pair stores nothing and returns
   * the contract already there. The contract's id must be the same for the same pair every time
   * (see contractIdFor): a save that a dead process left half done (a large PDF stored, not its
   * contract) is then completed by the retry, not duplicated.
   */
  saveContracts(items: ReadonlyArray<{ contract: NewContract; pdf: Uint8Array }>): Promise<Contract[]>;
  /**
   * Of the PDFs stored apart from their contracts under these contract ids, deletes those no
   * contract points at (a process died between storing a large PDF, or part of it, and its
   * contract, and no later attempt saved that client again, or saved it with its PDF inline).
   * Returns how many contract ids had such leftovers.
   */
  discardPdfsWithoutContract(contractIds: string[]): Promise<number>;
  /**
   * Deletes a contract and its PDF if `attempt` stored it: a save that landed after its
   * execution ended (stopped by another instance while the save was under way) does not stay.
   * False when there is no such contract (another attempt's is kept).
   */
  discardContract(id: string, attempt: number): Promise<boolean>;
  /**
   * Deletes every contract of an execution with its PDF, and the PDFs stored under `pdfIds`
   * whether or not a contract points at them (leftovers of a save that died half-way). Idempotent.
   */
  deleteContractsOf(executionId: string, pdfIds: string[]): Promise<void>;
  getContract(id: string): Promise<Contract | null>;
  readContractPdf(id: string): Promise<Uint8Array | null>;
  /** Clients that already have a contract from this execution (to resume without duplicates). */
  contractedClientIds(executionId: string): Promise<Set<string>>;
  listContracts(
    filter: { executionId?: string | null; groupId?: string | null; startedBy?: string | null },
    page: PageRequest,
  ): Promise<Page<Contract>>;
}

