// Reads one blob through a SAS link with @azure/storage-blob, as a user of the JS SDK reads a
// run's logLink. The proxy and the CA come from the environment (HTTPS_PROXY,
// NODE_EXTRA_CA_CERTS), as they would for that user.
//   node sdk-read-blob.mjs <sas-url>
import { BlobClient } from "@azure/storage-blob";

new BlobClient(process.argv[2]).downloadToBuffer().then(
  (content) => process.stdout.write(content),
  (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
