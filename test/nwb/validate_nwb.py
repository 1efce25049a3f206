"""Validates an NWB file against the NWB core schema with Debian's hdmf (pynwb's validator without pynwb).

usage: validate_nwb.py NAMESPACE.yaml FILE.nwb

NAMESPACE.yaml is core/nwb.namespace.yaml of a copy of the NWB schema (nwb-schema 2.6.0, as in
test/nwb/nwb-schema/; it matches Debian 12's hdmf 3.5 and its hdmf-common 1.5). The core schema
names its keys neurodata_type_def / _inc and stores neurodata_type on objects, where hdmf's own
specs say data_type: the spec classes below read those keys. Prints each error and their count; exit
status 1 when there are any.
"""
import sys

from hdmf.backends.hdf5 import HDF5IO
from hdmf.build import BuildManager, TypeMap
from hdmf.common import get_type_map
from hdmf.spec import DatasetSpec, GroupSpec, NamespaceCatalog, SpecNamespace
from hdmf.validate import ValidatorMap
def renamed(spec):
    spec = dict(spec)
    for word in ('def', 'inc'):
        if 'neurodata_type_' + word in spec:
            spec['data_type_' + word] = spec.pop('neurodata_type_' + word)
    return spec

class NeurodataKeys:
    @classmethod
    def type_key(cls): return 'neurodata_type'
    @classmethod
    def def_key(cls): return 'neurodata_type_def'
    @classmethod
    def inc_key(cls): return 'neurodata_type_inc'
    @classmethod
    def build_const_args(cls, spec):
        return super().build_const_args(renamed(spec))

class CoreDataset(NeurodataKeys, DatasetSpec): pass
class CoreGroup(NeurodataKeys, GroupSpec):
    @classmethod
    def dataset_spec_cls(cls): return CoreDataset
class CoreNamespace(SpecNamespace):
    @classmethod
    def types_key(cls): return 'neurodata_types'

catalog = NamespaceCatalog(CoreGroup, CoreDataset, CoreNamespace)
type_map = TypeMap(catalog)
type_map.merge(get_type_map(), ns_catalog=True)
catalog.load_namespaces(sys.argv[1])
io = HDF5IO(sys.argv[2], manager=BuildManager(type_map), mode='r')
errors = ValidatorMap(catalog.get_namespace('core')).validate(io.read_builder())
for e in errors: print(e)
print(len(errors), 'errors')
sys.exit(1 if errors else 0)
