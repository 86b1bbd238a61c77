import { randomUUID } from 'node:crypto';
import { Binary, GridFSBucket, type Db } from 'mongodb';
import { afterCursorFilter, duplicateKeyIndexes, isDuplicateKey, toPage, withStoreUnavailable } from '../extension.js';
import { collections } from './contract-collections.js';
import type { Client, Contract, ContractGroup, ContractStore, NewContract } from './contract-store.js';

type GroupDoc = Omit<ContractGroup, 'id'> & { _id: string; nameKey: string };
type ClientDoc = Omit<Client, 'id'> & { _id: string; order: number };
/** `pdf` holds a PDF of at most inlinePdfMaxBytes; a larger one is in GridFS under the contract's id. */
type ContractDoc = Omit<Contract, 'id'> & { _id: string; pdf?: Binary };

/**
 * PDFs up to this size are stored inside their contract's document: one write per batch of
 * contracts instead of three per contract (a GridFS file, its chunks, the contract), and a
 * contract and its PDF are then written in one atomic step. Larger ones go to GridFS.
 */
const inlinePdfMaxBytes = 1024 * 1024;

/**
 * Contract groups, clients and contracts in MongoDB; each PDF inside its contract's document, or
 * in GridFS when it is large. A contract document is written with its PDF, or only after its
 * GridFS PDF is stored completely, so no contract is ever half-written; the unique (execution,
 * client) index makes a resumed batch skip what it already created.
 */
export function createMongoContractStore(db: Db): ContractStore {
  const groups = db.collection<GroupDoc>(collections.groups);
  const clients = db.collection<ClientDoc>(collections.clients);
  const contracts = db.collection<ContractDoc>(collections.contracts);
  const pdfs = new GridFSBucket(db, { bucketName: collections.pdfBucket });
  const pdfFiles = db.collection<{ _id: string; metadata?: { executionId?: string } }>(`${collections.pdfBucket}.files`);
  const pdfChunks = db.collection<{ files_id: string; n: number }>(`${collections.pdfBucket}.chunks`);

  function uploadPdf(draft: NewContract, pdf: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const upload = pdfs.openUploadStreamWithId(draft.id as never, draft.fileName, { metadata: { executionId: draft.executionId } });
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
    });
  }

  /**
   * Stores a large PDF in GridFS under its contract's id; returns the contract instead when this
   * pair was saved before. Something stored under the id without a contract is what a process
   * left that died after storing (part of) the PDF: replaced, so no file stays without its contract.
   */
  async function uploadPdfOnce(draft: NewContract, pdf: Uint8Array): Promise<ContractDoc | null> {
    try {
      await uploadPdf(draft, pdf);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await contracts.findOne({ _id: draft.id }, { projection: { pdf: 0 } });
      if (existing) return existing;
      await deletePdfBytes([draft.id]);
      await uploadPdf(draft, pdf);
    }
    return null;
  }

  /**
   * Deletes the stored bytes of these PDFs, whichever parts exist: a dead save may have left the
   * file document, its chunks, or only some chunks. Chunks first, as GridFS itself does: a file
   * document is never left pointing at missing chunks.
   */
  async function deletePdfBytes(ids: string[]): Promise<void> {
    await pdfChunks.deleteMany({ files_id: { $in: ids } });
    await pdfFiles.deleteMany({ _id: { $in: ids } });
  }

  const store: ContractStore = {
    async createGroup({ id, name, title, body, at }) {
      const doc: GroupDoc = { _id: id ?? randomUUID(), name, nameKey: groupNameKey(name), template: { title, body, version: 1 }, createdAt: at };
      await groups.insertOne(doc);
      return toGroup(doc);
    },

    async getGroup(id) {
      const doc = await groups.findOne({ _id: id });
      return doc ? toGroup(doc) : null;
    },

    async findGroupByName(name) {
      // served by group_name
      const doc = await groups.findOne({ nameKey: groupNameKey(name) });
      return doc ? toGroup(doc) : null;
    },

    async listGroups() {
      // a handful of groups: the whole (small) collection in creation order
      return (await groups.find({}).sort({ createdAt: 1, _id: 1 }).toArray()).map(toGroup);
    },

    async updateTemplate(groupId, template) {
      const doc = await groups.findOneAndUpdate(
        { _id: groupId },
        { $set: { 'template.title': template.title, 'template.body': template.body }, $inc: { 'template.version': 1 } },
        { returnDocument: 'after' },
      );
      return doc ? toGroup(doc) : null;
    },

    async addClients(groupId, newClients) {
      if (!(await groups.findOne({ _id: groupId }, { projection: { _id: 1 } }))) {
        throw new Error(`Contract group ${groupId} does not exist`);
      }
      // Keeps the order clients were added in; the time-based prefix orders batches of several processes.
      const base = Date.now() * 1_000;
      const docs: ClientDoc[] = newClients.map((client, index) => ({ _id: randomUUID(), groupId, order: base + index, ...client }));
      if (docs.length > 0) await clients.insertMany(docs);
      return docs.map(toClient);
    },

    async listClients(groupId) {
      // served by group_clients
      return (await clients.find({ groupId }).sort({ order: 1 }).toArray()).map(toClient);
    },

    async getClient(id) {
      const doc = await clients.findOne({ _id: id });
      return doc ? toClient(doc) : null;
    },

    async countClients(groupId) {
      return clients.countDocuments({ groupId });
    },

    async saveContracts(items) {
      const saved: Array<ContractDoc | null> = [];
      const docs: ContractDoc[] = [];
      const positions: number[] = [];
      for (const { contract: draft, pdf } of items) {
        const inline = pdf.byteLength <= inlinePdfMaxBytes;
        // A large PDF first: a contract document then always points at a complete file.
        const existing = inline ? null : await uploadPdfOnce(draft, pdf);
        saved.push(existing);
        if (existing) continue;
        const { id, ...fields } = draft;
        const doc: ContractDoc = { _id: id, ...fields, startedBy: fields.startedBy ?? null, sizeBytes: pdf.byteLength };
        if (inline) doc.pdf = new Binary(pdf);
        positions.push(saved.length - 1);
        docs.push(doc);
      }
      let duplicates: number[] = [];
      if (docs.length > 0) {
        try {
          // One insert for the batch (the driver splits it only past 48 MB); each document is
          // written whole or not at all, PDF included.
          await contracts.insertMany(docs, { ordered: false });
        } catch (error) {
          duplicates = duplicateKeyIndexes(error);
        }
      }
      docs.forEach((doc, index) => (saved[positions[index]!] = doc));
      for (const index of duplicates) {
        // This pair has its contract already: keep that one, and drop a large PDF just stored for
        // it under another id (under the same id, it is the one that contract points at).
        const draft = docs[index]!;
        const existing = (await contracts.findOne({ executionId: draft.executionId, clientId: draft.clientId }, { projection: { pdf: 0 } }))!;
        if (existing._id !== draft._id && draft.pdf === undefined) await deletePdfBytes([draft._id]);
        saved[positions[index]!] = existing;
      }
      return saved.map((doc) => toContract(doc!));
    },

    async discardContract(id, attempt) {
      // served by _id
      const { deletedCount } = await contracts.deleteOne({ _id: id, attempt });
      if (deletedCount === 0) return false;
      await deletePdfBytes([id]);
      return true;
    },

    async deleteContractsOf(executionId, pdfIds) {
      // served by execution_client (executionId first)
      const stored = await contracts.find({ executionId }, { projection: { _id: 1 } }).toArray();
      // The PDFs first: a crash half-way leaves contracts, which the next try finds again.
      await deletePdfBytes([...new Set([...pdfIds, ...stored.map((doc) => doc._id)])]);
      await contracts.deleteMany({ executionId });
    },

    async discardPdfsWithoutContract(contractIds) {
      if (contractIds.length === 0) return 0;
      // served by _id; the GridFS indexes (contract-collections.ts) serve the files and chunks by id.
      // A contract whose PDF is inline points at no GridFS file: bytes under its id are leftovers
      // of a dead save of a large PDF (or of a version that stored every PDF in GridFS).
      const saved = new Set(
        (await contracts.find({ _id: { $in: contractIds }, pdf: { $exists: false } }, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id),
      );
      const unsaved = contractIds.filter((id) => !saved.has(id));
      if (unsaved.length === 0) return 0;
      // A dead save may have left the file document, its chunks, or only some chunks: look at both.
      const [files, chunks] = await Promise.all([
        pdfFiles.find({ _id: { $in: unsaved } }, { projection: { _id: 1 } }).toArray(),
        pdfChunks.find({ files_id: { $in: unsaved } }, { projection: { files_id: 1 } }).toArray(),
      ]);
      const leftovers = new Set([...files.map((file) => file._id), ...chunks.map((chunk) => chunk.files_id)]);
      if (leftovers.size > 0) await deletePdfBytes([...leftovers]);
      return leftovers.size;
    },

    async getContract(id) {
      const doc = await contracts.findOne({ _id: id }, { projection: { pdf: 0 } });
      return doc ? toContract(doc) : null;
    },

    async readContractPdf(id) {
      const inline = await contracts.findOne({ _id: id }, { projection: { pdf: 1 } });
      if (inline?.pdf) return new Uint8Array(inline.pdf.value());
      if (!(await pdfFiles.findOne({ _id: id }, { projection: { _id: 1 } }))) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of pdfs.openDownloadStream(id as never)) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },

    async contractedClientIds(executionId) {
      // served by execution_client
      const docs = await contracts.find({ executionId }, { projection: { clientId: 1 } }).toArray();
      return new Set(docs.map((doc) => doc.clientId));
    },

    async listContracts(filter, page) {
      // `!= null`, not truthiness: an empty string is a value to match (it matches nothing), not "any".
      const where: Record<string, string> = {};
      if (filter.executionId != null) where.executionId = filter.executionId;
      if (filter.groupId != null) where.groupId = filter.groupId;
      if (filter.startedBy != null) where.startedBy = filter.startedBy;
      const [docs, totalCount] = await Promise.all([
        contracts
          .find({ ...where, ...afterCursorFilter<ContractDoc>('createdAt', page.after) }, { projection: { pdf: 0 } })
          .sort({ createdAt: -1, _id: -1 })
          .limit(page.first + 1)
          .toArray(),
        Object.keys(where).length > 0 ? contracts.countDocuments(where) : contracts.estimatedDocumentCount(),
      ]);
      return toPage(docs, page, totalCount, (doc) => doc.createdAt, toContract);
    },
  };
  // An unreachable database is answered as StoreUnavailableError, as the server's own store does.
  return withStoreUnavailable(store, ['createGroup', 'updateTemplate', 'addClients', 'saveContracts', 'discardPdfsWithoutContract']);
}

function groupNameKey(name: string): string {
  return name.trim().toLowerCase();
}

function toGroup({ _id, nameKey: _nameKey, ...group }: GroupDoc): ContractGroup {
  return { id: _id, ...group };
}

function toClient({ _id, order: _order, ...client }: ClientDoc): Client {
  return { id: _id, ...client };
}

function toContract({ _id, pdf: _pdf, ...contract }: ContractDoc): Contract {
  return { id: _id, ...contract, startedBy: contract.startedBy ?? null, attempt: contract.attempt ?? 0 };
}
