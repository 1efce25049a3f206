// node run.js name '{"rule":{...},...}' trainLimit epochs
const {loadSpikingDtpExperiment}=require('/work/wt/issue8/dist/src/experiment/spiking-dtp');
const {runSpikingDtp}=require('/work/wt/issue8/dist/src/cli/run-spiking-dtp');
const fs=require('fs');
const [name,patch,limit,epochs]=process.argv.slice(2);
const raw=JSON.parse(fs.readFileSync('/tmp/mnist-spiking-dtp.json'));
raw.network.encoder='current';
const merge=(a,b)=>{for(const k in b){if(b[k]&&typeof b[k]==='object'&&!Array.isArray(b[k])&&a[k])merge(a[k],b[k]);else a[k]=b[k];}return a;};
merge(raw,JSON.parse(patch||'{}'));
raw.data={...raw.data,trainLimit:+limit||10000,testLimit:1};
raw.training.epochs=+epochs||3;
const f=`/tmp/sdtp-search/${name}.json`; fs.writeFileSync(f,JSON.stringify(raw));
const ex=loadSpikingDtpExperiment(f);
runSpikingDtp(ex,{out:`/tmp/sdtp-search/runs/${name}`,force:true,log:(l)=>console.log(name,l)}).then(s=>console.log(name,'done',JSON.stringify(s.best_valid)));
