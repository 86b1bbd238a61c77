import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Binary, GridFSBucket, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startConnectedServer, type AnyDoc } from './wire-server-fixture.js';

async function download(bucket: GridFSBucket, id: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bucket.openDownloadStream(id as ObjectId)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('mongo wire server with GridFS', () => {
  it('uploads, downloads byte-exactly and deletes a 1 MB file stored in chunks', async () => {
    const { db } = await startConnectedServer({ requireIndexes: true });
    const bucket = new GridFSBucket(db);
    const content = randomBytes(1024 * 1024);

    const upload = bucket.openUploadStream('contract.pdf', { metadata: { taskId: 't1' } });
    await pipeline(Readable.from([content.subarray(0, 300_000), content.subarray(300_000)]), upload);
    const id = upload.id;

    const [file] = await bucket.find({ _id: id }).toArray();
    expect(file).toMatchObject({ _id: id, length: content.length, chunkSize: 255 * 1024, filename: 'contract.pdf', metadata: { taskId: 't1' } });
    expect(file?.uploadDate).toBeInstanceOf(Date);
    const chunks = await db.collection<AnyDoc>('fs.chunks').find({ files_id: id }).sort({ n: 1 }).toArray();
    expect(chunks.map((chunk) => chunk.n)).toEqual([0, 1, 2, 3, 4]);
    expect(chunks[0]?.data).toBeInstanceOf(Binary);
    expect((await db.collection<AnyDoc>('fs.chunks').listIndexes().toArray()).map((index) => index.name)).toContain('files_id_1_n_1');

    const downloaded = await download(bucket, id);
    expect(downloaded.length).toBe(content.length);
    expect(downloaded.equals(content)).toBe(true);

    await bucket.delete(id);
    expect(await db.collection<AnyDoc>('fs.chunks').countDocuments({ files_id: id })).toBe(0);
    await expect(download(bucket, id)).rejects.toThrow(/FileNotFound|not found/i);
  });

  it('stores a file under a chosen id in a named bucket', async () => {
    const { db } = await startConnectedServer();
    const bucket = new GridFSBucket(db, { bucketName: 'contracts', chunkSizeBytes: 1000 });
    const content = Buffer.from('x'.repeat(2500) + 'end');
    // GridFS ids may be any BSON value; the driver's typings only say ObjectId.
    const id = 'contract-42' as unknown as ObjectId;
    const upload = bucket.openUploadStreamWithId(id, 'c42.pdf');
    await pipeline(Readable.from([content]), upload);
    expect(await db.collection<AnyDoc>('contracts.chunks').countDocuments({ files_id: 'contract-42' })).toBe(3);
    expect((await download(bucket, 'contract-42')).toString()).toBe(content.toString());
    expect((await bucket.find({ filename: 'c42.pdf' }).toArray()).map((file) => file._id)).toEqual(['contract-42']);
    await bucket.delete(id);
    expect(await bucket.find({}).toArray()).toEqual([]);
  });
});
