# Step 3: turn the probe results into lib/knowledge/data/apache-directive-contexts.tsv,
# apache-wsgi-directives.tsv and apache-directive-arity.tsv (run from the repository root).
import os,re,collections
ROOT=os.path.abspath(os.path.join(os.path.dirname(__file__),'..','..','..'))
SHARED=os.path.join(os.path.dirname(ROOT),'shared')
rows=[l.rstrip('\n').split('\t') for l in open('/tmp/ap/probe-results.tsv')]
tsvnames={}
for l in open(os.path.join(SHARED,'knowledge','apache-directives.tsv')).read().splitlines()[1:]:
    if l: tsvnames[l.split('\t')[0].lower()]=l.split('\t')[0]
res=collections.defaultdict(dict); canon={}
scopes=['top','vhost','directory','location','files','proxy','if']
for n,c,r in rows:
    m=re.match(r'^(\S+) (not allowed (here|in)|cannot occur)',r)
    if m: canon[n.lower()]=m.group(1)
    if r=='OK' or r.startswith('OTHER'): v='ok'
    elif r=='INVALID': v='invalid'
    elif 'not allowed' in r: v='not-allowed'
    elif 'cannot occur' in r: v='cannot-occur'
    else: v='ok'
    res[n][c]=v
# extra code spellings found in the binaries where no message showed one
extra={'Timeout':'Timeout','LimitRequestFieldSize':'LimitRequestFieldsize','Anonymous_NoUserID':'Anonymous_NoUserId','DavBasePath':'DAVBasePath','DavMinTimeout':'DAVMinTimeout','DavDepthInfinity':'DAVDepthInfinity','DavLockDB':'DAVLockDB','DavLockDiscovery':'DAVLockDiscovery','DavGenericLockDB':'DAVGenericLockDB','DeflateAlterETag':'DeflateAlterEtag','SSIETag':'SSIEtag','ProxyHTMLDocType':'ProxyHTMLDoctype','SSLOCSPNoverify':'SSLOCSPNoVerify','CookieHTTPOnly':'CookieHttpOnly','ListenBackLog':'ListenBacklog','Dav':'DAV'}
with open(os.path.join(ROOT,'lib/knowledge/data/apache-directive-contexts.tsv'),'w') as f:
    f.write('name\t'+'\t'.join(scopes)+'\n')
    for n in sorted(res):
        name=canon.get(n.lower()) or extra.get(n) or n
        f.write(name+'\t'+'\t'.join(res[n].get(s,'') for s in scopes)+'\n')
with open(os.path.join(ROOT,'lib/knowledge/data/apache-wsgi-directives.tsv'),'w') as f:
    f.write('name\tmodule\ttype\tcontexts\toverride\tdefault\tsyntax\tmodule_status\tcompatibility\txmlfile\txmlline\n')
    for n in sorted(res):
        if not n.startswith('WSGI'): continue
        r=res[n]; ctx=[]
        if r.get('top')=='ok': ctx.append('server config')
        if r.get('vhost')=='ok': ctx.append('virtual host')
        if r.get('directory')=='ok': ctx.append('directory')
        f.write(f"{n}\tmod_wsgi\tdirective\t{','.join(ctx)}\t\t\t\tExternal\tmod_wsgi 4.9.4 (measured)\t\t\n")
print(len(res))

import re,collections
rows=[l.rstrip('\n').split('\t') for l in open('/tmp/ap/probe2-results.tsv')]
# sections -> append to contexts file
scopes=['top','vhost','directory','location','files','proxy','if']
sec=collections.defaultdict(dict)
ar=collections.defaultdict(dict)
for n,c,k,msg in rows:
    if k=='section':
        if msg=='OK': v='ok'
        elif 'Invalid command' in msg: v='invalid'
        elif 'not allowed' in msg: v='not-allowed'
        elif 'cannot occur' in msg: v='cannot-occur'
        else: v='ok'
        sec[n][c]=v
    else:
        ar[n][k]=(c,msg)
lines=open(os.path.join(ROOT,'lib/knowledge/data/apache-directive-contexts.tsv')).read().splitlines()
lines=[l for l in lines if not l.startswith('<')]
for n in sorted(sec):
    lines.append(n+'\t'+'\t'.join(sec[n].get(s,'') for s in scopes))
open(os.path.join(ROOT,'lib/knowledge/data/apache-directive-contexts.tsv'),'w').write('\n'.join(lines)+'\n')
out=['name\tscope\targs\tmessage\tapplies']
for n in sorted(ar):
    d=ar[n]
    for k in ['0','1','2','3','4']:
        if k not in d: continue
        scope,msg=d[k]
        if msg=='OK': continue
        if re.search(r'must be On or Off', msg) and 'must be On or Off' not in d.get('On',(scope,''))[1]:
            if k == '1': continue
            out.append(f"{n}\t{scope}\t{k}\t{msg}\tany"); continue
        if 'argument' not in msg.lower(): continue
        same_all = all(d.get(x,(0,''))[1]==msg for x in ['0','1','2','3','4'])
        if same_all: continue
        std = bool(re.match(r'^\S+ (takes (no|one|two|three|\d-\d|one or two|one or three|two or three|one, two or three|one or more) arguments?|requires at least (one|two) arguments?)', msg))
        if not std and not (re.search(r"must have \w+ arguments|requires (1 or 2 arguments|an argument|at least)", msg) and not re.search(r"[Ii]nvalid|'x'|''", msg)):
            continue
        out.append(f"{n}\t{scope}\t{k}\t{msg}\t{'any' if std else 'scope'}")
    if '1' in d:
        scope,msg=d['1']
        on=d.get('On',(scope,''))[1]
        if re.search(r'must be On or Off', msg) and 'must be On or Off' not in on:
            out.append(f"{n}\t{scope}\tflag\t{msg}\tany")
open(os.path.join(ROOT,'lib/knowledge/data/apache-directive-arity.tsv'),'w').write('\n'.join(out)+'\n')
print(len(out))
