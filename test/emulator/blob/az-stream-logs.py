# Streams a run log the way `az acr task logs` does in azure-cli 2.45: the SAS link is split by
# az's own parser and read by az's own streaming loop with the storage SDK az uses. Run it with
# the Python that azure-cli is installed for; network settings come from the environment
# (HTTPS_PROXY, REQUESTS_CA_BUNDLE), as for az.
#   python3 az-stream-logs.py <sas-url> <timeout-seconds>
import sys

from azure.cli.command_modules.acr._stream_utils import _stream_logs, get_blob_info
from azure.multiapi.storage.v2018_11_09.blob import AppendBlobService
from knack.util import CLIError

account, suffix, container, blob, sas = get_blob_info(sys.argv[1])
service = AppendBlobService(account_name=account, sas_token=sas, endpoint_suffix=suffix)
try:
    _stream_logs(True, 4096, int(sys.argv[2]), service, container, blob, True)
except CLIError as error:
    sys.stderr.write("ERROR: %s\n" % error)
    sys.exit(1)
