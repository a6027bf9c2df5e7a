"""The questions: hand-written paraphrases of the symptom behind each drawn Loghub template.

Targets were drawn by `draw.py` (seeded, stratified across the 8 systems, weighted toward
errors and warnings); the wording is ours, as an on-call engineer would put it in Slack, and
never copies the template: no three consecutive words of it, none of its identifiers
(`lint` checks both). About half name the technology, some say when it happened; a question
with a time says so in `when` (Paris local dates, inclusive) and the bench drops it if no target
record falls in that window (and those hours, for "morning" or "evening") with the shifted
dates (`loghub_flows.py --today 2026-11-24`).

`targets` is the drawn meaning: one EventId, or the SAME_MEANING group of templates that differ
only in their variable part; a few questions name more when their wording covers a sibling just
as well (`also`, with the reason). `template` is the group's most frequent Loghub template,
quoted for reports only (Loghub, https://github.com/logpai/loghub, see bench/explain/__init__.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

YESTERDAY = ("2026-11-23", "2026-11-23")
SINCE_YESTERDAY = ("2026-11-23", "2026-11-24")
SUNDAY = ("2026-11-22", "2026-11-22")
WEEKEND = ("2026-11-21", "2026-11-22")
FRIDAY = ("2026-11-20", "2026-11-20")
THURSDAY = ("2026-11-19", "2026-11-19")
THREE_DAYS_AGO = ("2026-11-21", "2026-11-21")
LAST_WEEK = ("2026-11-17", "2026-11-22")  # true whether read as Mon-Sun or as the last 7 days
THIS_MONTH = ("2026-11-01", "2026-11-24")
LAST_MONTH = ("2026-10-01", "2026-10-31")
MORNING = (6, 12)  # local hours [from, to) that "morning" / "matin" means
EVENING = (18, 24)


def month(m: int) -> tuple[str, str]:
    last = {4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30}[m]
    return (f"2026-{m:02d}-01", f"2026-{m:02d}-{last}")


def day(d: str) -> tuple[str, str]:
    return (d, d)


@dataclass(frozen=True)
class Question:
    id: str
    lang: str  # "fr" | "en"
    system: str  # Loghub system = the records' tech
    targets: tuple[str, ...]  # EventIds of that system
    text: str
    template: str  # for reports only
    when: tuple[str, str] | None = None  # Paris dates the question's time words mean
    hours: tuple[int, int] | None = None  # and the local hours, for "morning", "evening"
    also: str = ""  # why targets go beyond the drawn meaning, when they do


def Q(system: str, targets: str, lang: str, text: str, template: str, when=None, hours=None,
      also: str = "") -> Question:
    ids = tuple(targets.split(","))
    return Question(f"{system.lower()}-{ids[0].lower()}", lang, system, ids, text, template, when, hours, also)


QUESTIONS: list[Question] = [
    # --- Hadoop (MapReduce job on a small YARN cluster; every line is from yesterday 19:01-19:10, Paris)
    Q("Hadoop", "E93", "en",
      "What does it mean when the Hadoop job starts a backup copy of a task that is still running?",
      "Scheduling a redundant attempt for task task_<*>"),
    Q("Hadoop", "E33", "fr",
      "Pourquoi le client HDFS du job a levé une exception en attendant les accusés de réception "
      "des datanodes pendant l'écriture ?", "DFSOutputStream ResponseProcessor exception  for block BP-<*>:blk_<*>"),
    Q("Hadoop", "E35,E101", "en",
      "Why did some map attempts crash yesterday evening, the worker finding no network path "
      "to the storage server?", "Diagnostics report from attempt_<*>: Error: java.net.NoRouteToHostException: No Route "
      "to Host from  MININT-<*>/<*> to <*>:<*> failed on socket timeout exception: ...", when=YESTERDAY,
      hours=EVENING),
    Q("Hadoop", "E28", "fr", "L'allocateur Hadoop reçoit la fin d'un conteneur qu'il ne connaît pas : qu'est-ce que ça "
      "veut dire ?", "Container complete event for unknown container id container_<*>"),
    Q("Hadoop", "E99", "en", "Why couldn't the job tidy up after its failed map attempts?",
      "Task cleanup failed for attempt attempt_<*>"),
    Q("Hadoop", "E39", "fr", "Pourquoi l'écriture a dû écarter un datanode défaillant de la chaîne de réplication hier "
      "soir ?", "Error Recovery for block BP-<*>:blk_<*> in pipeline <*>:<*>, <*>:<*>: bad datanode <*>:<*>",
      when=YESTERDAY, hours=EVENING),
    Q("Hadoop", "E54,E55,E56", "en", "What do the lines where the MapReduce job moves between its states (new, "
      "initialised, setting up, running) mean?", "job_<*>Job Transitioned from INITED to SETUP"),
    Q("Hadoop", "E114", "fr", "Que signifie le réglage sur le nombre maximal de proxys de node managers gardés en "
      "cache côté client ?", "yarn.client.max-cached-nodemanagers-proxies : <*>"),
    Q("Hadoop", "E96", "en", "Why did the datanode acknowledgements take over a minute, twice the limit, during the "
      "Hadoop write?", "Slow ReadProcessor read fields took <*>ms (threshold=<*>ms); ack: seqno: <*> status: SUCCESS "
      "status: ERROR downstreamAckTimeNanos: <*>, targets: [<*>:<*>, <*>:<*>]"),
    Q("Hadoop", "E102,E103,E104", "fr", "Hadoop : que veulent dire les lignes où une tâche passe de planifiée à en "
      "cours puis à réussie ?", "task_<*> Task Transitioned from NEW to SCHEDULED"),
    Q("Hadoop", "E1", "fr", "Pourquoi le job compte des échecs contre une machine de calcul en particulier ?",
      "<*> failures on node MININT-<*>"),
    Q("Hadoop", "E44", "fr", "Pourquoi les clients HDFS n'arrivent plus à prolonger leur bail ?",
      "Failed to renew lease for [DFSClient_NONMAPREDUCE_<*>_<*>] for <*> seconds.  Will retry shortly ..."),
    Q("Hadoop", "E79", "en", "What does it mean when the Hadoop output committer is told to abort a task?",
      "Processing the event EventType: TASK_ABORT"),
    Q("Hadoop", "E38", "en", "Why couldn't the MapReduce jobs talk to the resource manager yesterday evening?",
      "ERROR IN CONTACTING RM.", when=YESTERDAY, hours=EVENING),
    Q("Hadoop", "E52", "fr",
      "Que signifie le message qui indique sur quel port le serveur web embarqué de l'application "
      "master s'est attaché ?", "Jetty bound to port <*>"),
    Q("Hadoop", "E10", "en", "Why does the Hadoop client keep warning that the server's IP changed?",
      "Address change detected. Old: <*>/<*>:<*> New: <*>:<*>"),
    Q("Hadoop", "E85", "fr", "Pourquoi les reducers ne démarrent pas tant que les maps ne sont pas assez avancés ?",
      "Reduce slow start threshold not met. completedMapsForReduceSlowstart <*>"),
    Q("Hadoop", "E78", "en", "What is the job set-up event the committer handles when a Hadoop job begins?",
      "Processing the event EventType: JOB_SETUP"),
    Q("Hadoop", "E27", "fr", "Que signifie la ligne où l'application master se connecte au gestionnaire de ressources "
      "YARN ?", "Connecting to ResourceManager at <*>/<*>:<*>"),
    Q("Hadoop", "E2", "en", "Why were map attempts put on the failed list in Hadoop yesterday?",
      "Added attempt_<*> to list of failed maps", when=YESTERDAY),
    Q("Hadoop", "E76", "fr", "Que veut dire le message sur le committer de sortie absent de la configuration, avec une "
      "valeur nulle ?", "OutputCommitter set in config null"),
    Q("Hadoop", "E86", "en", "What does it mean when Hadoop says enough maps have finished to begin scheduling the "
      "reducers?", "Reduce slow start threshold reached. Scheduling reduces."),
    Q("Hadoop", "E69", "fr", "Qu'indique le démarrage du système de métriques de l'application master MapReduce ?",
      "MRAppMaster metrics system started"),
    Q("Hadoop", "E30", "en", "Why did the HDFS client's streaming thread throw while the Hadoop job was writing data "
      "yesterday?", "DataStreamer Exception", when=YESTERDAY),
    Q("Hadoop", "E73", "fr", "Que signifie la ligne qui annonce combien de reducers aura le job ?",
      "Number of reduces for job job_<*> = <*>"),
    Q("Hadoop", "E26", "en", "Why couldn't the scheduler hand a container it had just received to any task?",
      "Cannot assign container Container: [ContainerId: container_<*>, NodeId: <*>:<*>, NodeHttpAddress: <*>:<*>, "
      "Resource: <memory:<*>, vCores:<*>>, ...] for a map as either  container memory less than required "
      "<memory:<*>, vCores:<*>> or no pending map tasks - maps.isEmpty=true"),
    Q("Hadoop", "E47", "fr", "Hadoop dit que le journal des requêtes HTTP n'est pas configuré pour l'interface web, "
      "c'est grave ?", "Http request log for http.requests.mapreduce is not defined"),
    Q("Hadoop", "E40", "en", "Why did the job history writer fail to record an unsuccessful task attempt?",
      "Error writing History Event: org.apache.hadoop.mapreduce.jobhistory.TaskAttemptUnsuccessfulCompletionEvent@<*>"),

    # --- OpenSSH (one server under brute force; every line is from yesterday 07:55-12:04, Paris)
    Q("OpenSSH", "E21", "fr", "Pourquoi PAM ne trouve pas l'utilisateur lors des connexions SSH d'hier ?",
      "pam_unix(sshd:auth): check pass; user unknown", when=YESTERDAY),
    Q("OpenSSH", "E12,E13,E10", "en", "Why does sshd turn away login names that don't exist on the box?",
      "input_userauth_request: invalid user <*> [preauth]",
      also="E10 (a password tried for an account that does not exist) says the same about the name"),
    Q("OpenSSH", "E10", "fr",
      "Pourquoi tant de mots de passe refusés pour des comptes qui n'existent pas, hier matin ?",
      "Failed password for invalid user <*> from <*> port <*> ssh2", when=YESTERDAY, hours=MORNING),
    Q("OpenSSH", "E27", "en", "The ssh server says some clients' reverse DNS doesn't match and flags a possible "
      "intrusion: what's going on?", "reverse mapping checking getaddrinfo for <*> [<*>] failed - POSSIBLE BREAK-IN "
      "ATTEMPT!"),
    Q("OpenSSH", "E7", "fr", "Pourquoi des clients se déconnectent en disant qu'il ne leur reste aucune méthode "
      "d'authentification ?", "error: Received disconnect from <*>: <*>: No more user authentication methods "
      "available. [preauth]"),
    Q("OpenSSH", "E2", "en", "Why are clients dropping the SSH connection before they even authenticate?",
      "Connection closed by <*> [preauth]"),
    Q("OpenSSH", "E9,E14", "fr", "Pourquoi autant de mots de passe refusés pour root sur le serveur ssh hier ?",
      "Failed password for <*> from <*> port <*> ssh2", when=YESTERDAY),
    Q("OpenSSH", "E19,E20", "en", "Why is the unix auth module rejecting so many logins?",
      "pam_unix(sshd:auth): authentication failure; logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*> user=<*>"),
    Q("OpenSSH", "E4,E5", "fr", "Pourquoi sshd coupe la connexion après trop d'essais ratés sur root ou admin ?",
      "Disconnecting: Too many authentication failures for root [preauth]"),
    Q("OpenSSH", "E6", "en", "Why do connections made with a Java ssh library give up with an authentication error?",
      "error: Received disconnect from <*>: <*>: com.jcraft.jsch.JSchException: Auth fail [preauth]"),
    Q("OpenSSH", "E15,E16,E17", "fr", "Que signifie le résumé PAM qui compte les échecs d'authentification "
      "supplémentaires d'une connexion ssh ?", "PAM <*> more authentication failures; logname= uid=<*> euid=<*> "
      "tty=ssh ruser= rhost=<*>"),
    Q("OpenSSH", "E11", "en", "Why did sshd hit a fatal error when the remote side reset the link mid-handshake "
      "yesterday?", "fatal: Write failed: Connection reset by peer [preauth]", when=YESTERDAY),
    Q("OpenSSH", "E8", "fr", "Que veut dire un échec avec la méthode « none » pour un utilisateur inconnu ?",
      "Failed none for invalid user <*> from <*> port <*> ssh2"),
    Q("OpenSSH", "E3", "en", "Why do some connections to sshd never send their version banner?",
      "Did not receive identification string from <*>"),
    Q("OpenSSH", "E24,E25,E26", "fr", "Que signifient les déconnexions « au revoir » envoyées par les clients SSH "
      "avant l'authentification ?", "Received disconnect from <*>: <*>: Bye Bye [preauth]"),

    # --- Zookeeper (a 3-node ensemble; lines from 2026-10-27 to yesterday, most on October 27)
    Q("Zookeeper", "E24", "en", "Why were the ZooKeeper quorum threads interrupted while they were waiting for "
      "outgoing messages on October 27?", "Interrupted while waiting for message on queue", when=day("2026-10-27")),
    Q("Zookeeper", "E5", "fr", "Pourquoi ce nœud ZooKeeper n'arrive pas à joindre les autres serveurs sur le port "
      "d'élection depuis hier ?", "Cannot open channel to <*> at election address /<*>:<*>", when=SINCE_YESTERDAY),
    Q("Zookeeper", "E22", "en", "What does it mean when the leader says enough followers back it and it starts up?",
      "Have quorum of supporters; starting up and setting last processed zxid: <*>"),
    Q("Zookeeper", "E40", "fr", "Que signifient les demandes de connexion reçues en masse entre serveurs du quorum le "
      "27 octobre ?", "Received connection request /<*>:<*>", when=day("2026-10-27")),
    Q("Zookeeper", "E14", "en", "Why were client sessions closed last week because the zookeeper server wasn't up?",
      "Exception causing close of session <*> due to java.io.IOException: ZooKeeperServer not running",
      when=LAST_WEEK),
    Q("Zookeeper", "E42", "fr",
      "Pourquoi les threads d'envoi du quorum ZooKeeper s'arrêtent les uns après les autres ?",
      "Send worker leaving thread"),
    Q("Zookeeper", "E12", "en", "ZooKeeper warns about clients on an outdated protocol that would be rejected in "
      "read-only mode: what's that about?", "Connection request from old client /<*>:<*>; will be dropped if server "
      "is in r-o mode"),
    Q("Zookeeper", "E6", "fr", "Pourquoi ZooKeeper tombe sur une fin de flux inattendue avec ses clients ?",
      "caught end of stream exception"),
    Q("Zookeeper", "E49", "en",
      "Why did the leader's handler for a follower shut down with the socket still connected?",
      "Unexpected exception causing shutdown while sock still open"),
    Q("Zookeeper", "E31", "fr", "Pourquoi l'élection du leader attendait hier des réponses qui n'arrivaient pas ?",
      "Notification time out: <*>", when=YESTERDAY),
    Q("Zookeeper", "E15", "en", "Why are zookeeper client sessions expiring?",
      "Expiring session <*>, timeout of <*>ms exceeded"),
    Q("Zookeeper", "E50", "fr",
      "Quelle est cette exception imprévue sur une connexion cliente ZooKeeper le 28 octobre ?",
      "Unexpected Exception:", when=day("2026-10-28")),
    Q("Zookeeper", "E21", "en", "Why did a create request fail because the znode was already there?",
      "Got user-level KeeperException when processing sessionid:<*> type:create cxid:<*> zxid:<*> txntype:<*> "
      "reqpath:<*> Error Path:<*> Error:KeeperErrorCode = NodeExists for <*>"),
    Q("Zookeeper", "E13", "fr", "Que veut dire la ligne où la session d'un client est ouverte avec un délai négocié ?",
      "Established session <*> with negotiated timeout <*> for client /<*>:<*>"),
    Q("Zookeeper", "E39", "en", "Yesterday ZooKeeper loaded a snapshot file from disk: what does that mean?",
      "Reading snapshot <*>", when=YESTERDAY),
    Q("Zookeeper", "E11", "fr", "Pourquoi les liens entre serveurs du quorum ZooKeeper se rompent-ils ?",
      "Connection broken for id <*>, my id = <*>, error ="),
    Q("Zookeeper", "E25", "en", "Why does zookeeper keep interrupting the threads that send to the other peers?",
      "Interrupting SendWorker"),
    Q("Zookeeper", "E32,E33,E34,E35,E36,E37", "fr", "Que signifient les messages d'élection qui listent le leader "
      "proposé, le tour et l'état de chaque pair ?", "Notification: <*> (n.leader), <*> (n.zxid), <*> (n.round), "
      "LOOKING (n.state), <*> (n.sid), <*> (n.peerEPoch), LOOKING (my state)"),
    Q("Zookeeper", "E7", "en", "What are the lines where a client tries to open a fresh session?",
      "Client attempting to establish new session at /<*>:<*>"),
    Q("Zookeeper", "E45", "fr", "Que signifie la fin de l'arrêt du processeur de requêtes ZooKeeper la semaine "
      "dernière ?", "shutdown of request processor complete", when=LAST_WEEK),
    Q("Zookeeper", "E2", "en", "What does it mean when zookeeper logs that it accepted a socket from a client?",
      "Accepted socket connection from /<*>:<*>"),

    # --- OpenStack (nova compute on one host; every line is from Sunday 01:00-01:14, Paris)
    Q("OpenStack", "E7", "en", "Why does nova skip the power state sync for instances that are still being spawned?",
      "[instance: <*>] During sync_power_state the instance has a pending task (spawning). Skip."),
    Q("OpenStack", "E27", "fr", "Que signifie la liste des images de base actives dans le cache d'OpenStack ?",
      "Active base files: <*>"),
    Q("OpenStack", "E1", "en", "What does it mean when the compute node tries to reserve memory, disk and vCPUs for a "
      "new VM?", "[instance: <*>] Attempting claim: memory <*> MB, disk <*> GB, vcpus <*> CPU"),
    Q("OpenStack", "E43", "fr", "Pourquoi le nombre d'instances en base ne correspond pas à celui de l'hyperviseur "
      "dimanche ?", "While synchronizing instance power states, found <*> instances in the database and <*> instances "
      "on the hypervisor.", when=SUNDAY),
    Q("OpenStack", "E42", "fr", "Pourquoi le cache d'images tombe sur des images de base qu'il ne reconnaît pas ?",
      "Unknown base file: <*>"),
    Q("OpenStack", "E6,E19", "fr", "Pourquoi OpenStack dit qu'aucune limite de disque ou de CPU n'est fixée et passe "
      "en illimité ?", "[instance: <*>] disk limit not specified, defaulting to unlimited"),
    Q("OpenStack", "E20,E21,E22,E23", "en", "What are nova's VM pause, resume, start and stop lifecycle notices from "
      "Sunday?", "[instance: <*>] VM Resumed (Lifecycle Event)", when=SUNDAY),
    Q("OpenStack", "E40", "fr", "Pourquoi la synchronisation des instances d'un hôte ne concordait pas, au point de "
      "reconstruire la liste ?", "The instance sync for host '<*>' did not match. Re-created its InstanceList."),
    Q("OpenStack", "E36", "en", "What does the image cache mean by base images that can be removed?",
      "Removable base files: <*>"),
    Q("OpenStack", "E10", "fr", "Que veut dire la ligne qui donne la limite de mémoire et ce qui reste de libre pour "
      "une réservation ?", "[instance: <*>] memory limit: <*>.<*> MB, free: <*>.<*> MB"),
    Q("OpenStack", "E41", "en", "What do the resource tracker's vCPU figures, how many can be used and how many are "
      "handed out, mean?", "Total usable vcpus: <*>, total allocated vcpus: <*>"),
    Q("OpenStack", "E16,E17,E18", "fr", "Que signifient les totaux disque, mémoire et vCPU affichés lors d'une "
      "réservation d'instance ?", "[instance: <*>] Total disk: <*> GB, used: <*>.<*> GB"),
    Q("OpenStack", "E11", "en", "Why were VMs being torn down on OpenStack over the weekend?",
      "[instance: <*>] Terminating instance", when=WEEKEND),
    Q("OpenStack", "E29", "fr", "Pourquoi le cache d'images refuse d'effacer certains fichiers de base, jugés trop "
      "récents ?", "Base or swap file too young to remove: <*>"),

    # --- Spark (one executor of a PySpark job; every line is from Sunday 21:10-21:11, Paris)
    Q("Spark", "E4,E5", "en", "What does Spark mean when it changes who may view or modify the application?",
      "Changing modify acls to: <*>"),
    Q("Spark", "E23,E31", "fr", "Que signifie le démarrage de la couche de communication à distance de l'exécuteur "
      "Spark ?", "Remoting started; listening on addresses :[akka.tcp://<*>]"),
    Q("Spark", "E2,E3", "en", "What does it mean that the executor keeps blocks in RAM with an estimated size?",
      "Block <*> stored as bytes in memory (estimated size <*>, free <*>)"),
    Q("Spark", "E8", "fr",
      "Quelle est cette version d'algorithme du committer de fichiers de sortie que Spark affiche ?",
      "File Output Committer Algorithm version is <*>"),
    Q("Spark", "E12", "en", "What are the lines where each task announces which chunk of the input file it reads?",
      "Input split: hdfs://<*>"),
    Q("Spark", "E26", "fr",
      "Pourquoi Spark indique que l'authentification et les ACL de l'interface sont désactivées ?",
      "SecurityManager: authentication disabled; ui acls disabled; users with view permissions: Set(yarn, curi); "
      "users with modify permissions: Set(yarn, curi)"),
    Q("Spark", "E21,E36", "en", "What does the block manager registration message from the Spark executor mean?",
      "Registered BlockManager"),
    Q("Spark", "E19", "fr", "Pourquoi Spark recalcule des partitions qu'il ne trouve pas en cache dimanche soir ?",
      "Partition rdd_<*> not found, computing it", when=SUNDAY, hours=EVENING),
    Q("Spark", "E7", "en", "What is the local scratch folder the executor creates when it starts?",
      "Created local directory at <*>"),
    Q("Spark", "E18", "fr", "Que signifie la capacité annoncée au démarrage du stockage en mémoire de Spark ?",
      "MemoryStore started with capacity <*> GB"),

    # --- HDFS (namenode and datanodes; lines from Thursday night to Saturday morning)
    Q("HDFS", "E3", "en", "Why do HDFS datanodes throw errors when sending blocks to readers?",
      "<*>:<*>:Got exception while serving blk_<*> to /<*>:"),
    Q("HDFS", "E9", "fr", "Que signifient les suppressions de fichiers de blocs sur les datanodes vendredi ?",
      "Deleting block blk_<*> file /<*>/blk_<*>", when=FRIDAY),
    Q("HDFS", "E8", "en", "Why does the namenode mark blocks as invalid on certain datanodes?",
      "BLOCK* NameSystem.delete: blk_<*> is added to invalidSet of <*>:<*>"),
    Q("HDFS", "E11,E12", "fr", "Que veut dire la ligne où un datanode confirme avoir reçu un bloc complet avec sa "
      "taille ?", "Received block blk_<*> of size <*> from /<*>"),
    Q("HDFS", "E6", "en", "What does it mean when the namenode updates its block map after a datanode stores a block?",
      "BLOCK* NameSystem.addStoredBlock: blockMap updated: <*>:<*> is added to blk_<*> size <*>"),
    Q("HDFS", "E4", "fr", "Pourquoi le namenode demande à des datanodes d'effacer des blocs le week-end dernier ?",
      "BLOCK* ask <*>:<*> to delete  blk_<*>", when=WEEKEND),
    Q("HDFS", "E2", "en",
      "What does it mean when a datanode starts copying a block over to another datanode on Friday?",
      "<*>:<*> Starting thread to transfer block blk_<*> to <*>:<*>", when=FRIDAY),
    Q("HDFS", "E10", "fr", "Que signifie l'arrêt du répondeur de paquets d'un bloc sur les datanodes HDFS ?",
      "PacketResponder <*> for block blk_<*> terminating"),
    Q("HDFS", "E5", "en", "Why did the namenode order an extra copy of a block three days ago?",
      "BLOCK* ask <*>:<*> to replicate blk_<*> to datanode(s) <*>:<*>", when=THREE_DAYS_AGO),

    # --- Apache (httpd with the Tomcat connector; Thursday and Friday)
    Q("Apache", "E3", "fr", "Pourquoi le connecteur Tomcat d'Apache signale des processus enfants en état d'erreur "
      "jeudi ?", "mod_jk child workerEnv in error state <*>", when=THURSDAY),
    Q("Apache", "E4", "en", "Why is the web server refusing to list a folder's contents to some clients?",
      "[client <*>] Directory index forbidden by rule: <*>"),
    Q("Apache", "E5", "fr", "Pourquoi httpd ne retrouve pas certains processus fils dans son tableau de suivi ?",
      "jk2_init() Can't find child <*> in scoreboard"),
    Q("Apache", "E6", "en", "What does the Tomcat connector's failing child initialisation, with a negative code, mean "
      "on Apache on Friday?", "mod_jk child init <*> <*>", when=FRIDAY),

    # --- BGL (Blue Gene/L supercomputer; lines spread from April to 2026-11-19)
    Q("BGL", "E108", "en", "Why did the BGL runtime panic and halt the job on May 27?",
      "rts panic! - stopping execution", when=day("2026-05-27")),
    Q("BGL", "E31", "fr", "Pourquoi le démon d'E/S de BGL n'arrivait plus à lire l'en-tête des messages, la connexion "
      "expirant, le mois dernier ?", "ciod: Error reading message prefix on CioStream socket to <*>:<*>, Connection "
      "timed out", when=LAST_MONTH),
    Q("BGL", "E8,E9,E10", "en", "What are the corrected errors on the torus network's receive pipes?",
      "<*> torus receiver z+ input pipe error(s) (dcr <*>) detected and corrected"),
    Q("BGL", "E109", "fr", "Pourquoi l'initialisation des liens réseau entre nœuds de calcul BGL a échoué en juin ?",
      "rts tree/torus link training failed: wanted: <*> got: <*>", when=month(6)),
    Q("BGL", "E24", "en", "Why couldn't the node mapping file be opened because of access rights?",
      "ciod: Error creating node map from file <*>: Permission denied"),
    Q("BGL", "E55", "fr", "Pourquoi le noyau BGL levait des interruptions de traduction d'adresses sur les données en "
      "avril ?", "data TLB error interrupt", when=month(4)),
    Q("BGL", "E32", "en",
      "Why did the I/O daemon lose the link to its socket while reading message headers last month?",
      "ciod: Error reading message prefix on CioStream socket to <*>:<*>, Link has been severed", when=LAST_MONTH),
    Q("BGL", "E107", "fr", "Qu'est-ce que cette erreur interne du runtime sur BGL ?", "rts internal error"),
    Q("BGL", "E111", "en", "Why did the compute node kernel stop with a numeric reason code?",
      "rts: kernel terminated for reason <*>"),
    Q("BGL", "E95,E96", "fr",
      "Pourquoi une carte de nœuds BGL a-t-elle été éteinte pour une opération de maintenance ?",
      "PrepareForService shutting down Node card(mLctn(<*>), mCardSernum(<*>), mLp(<*>), mIp(<*>), mType(<*>)) as part "
      "of Service Action <*>"),
    Q("BGL", "E23", "en", "Why did building the node map fail because a subprocess it waited for did not exist?",
      "ciod: Error creating node map from file <*>: No child processes"),
    Q("BGL", "E44,E45,E46,E47", "fr", "Que signifient les alertes d'interruption critique sur les fils du réseau "
      "torique ?", "critical input interrupt (unit=<*> bit=<*>): warning for torus z+ wire, suppressing further "
      "interrupts of same type"),
    Q("BGL", "E4", "en", "Why is BGL reporting so many misaligned floating-point accesses?",
      "<*> floating point alignment exceptions"),
    Q("BGL", "E52", "fr", "Pourquoi des interruptions sur l'accès mémoire aux données ont fait planter BGL en avril ?",
      "data storage interrupt", when=month(4)),
    Q("BGL", "E74", "en", "Why does the service network's proxy database hit an assertion when sending packets in "
      "June?", "idoproxydb hit ASSERT condition: ASSERT expression=0 Source file=idotransportmgr.cpp Source line=<*> "
      "Function=int IdoTransportMgr::SendPacket(IdoUdpMgr*, BglCtlPavTrace*)", when=month(6)),
    Q("BGL", "E112", "fr", "Pourquoi le noyau s'est arrêté à cause d'un en-tête de message avec un numéro de "
      "processeur incohérent ?", "rts: kernel terminated for reason <*>: bad message header: invalid cpu, type=<*>, "
      "cpu=<*>, index=<*>, total=<*>"),
    Q("BGL", "E21", "en", "Why did the node map creation fail on a broken file handle?",
      "ciod: Error creating node map from file <*>: Bad file descriptor"),
    Q("BGL", "E89", "fr", "Pourquoi les nœuds d'E/S BGL n'arrivent pas à monter le partage NFS et réessaient ?",
      "NFS Mount failed on bglio<*>, slept <*> seconds, retrying (<*>)"),
    Q("BGL", "E37", "en", "Why couldn't jobs change into their working directory at login because it was missing?",
      "ciod: LOGIN chdir(<*>) failed: No such file or directory"),
    Q("BGL", "E90,E94", "fr", "Pourquoi une carte de nœuds BGL est signalée comme partiellement en panne ?",
      "Node card is not fully functional"),
    Q("BGL", "E60", "en", "Why did BGL get packets of the wrong type on the collective network?",
      "Error receiving packet on tree network, expecting type <*> instead of type <*> (softheader=<*> <*> <*> <*>) "
      "PSR0=<*> PSR1=<*> PRXF=<*> PIXF=<*>"),
    Q("BGL", "E33", "fr", "Pourquoi le démon d'E/S échoue à lire le début des messages sur le canal de contrôle ?",
      "ciod: failed to read message prefix on control stream (CioStream socket to <*>:<*>"),
    Q("BGL", "E22", "en", "Why did the node map file fail to load with an error asking for a block device?",
      "ciod: Error creating node map from file <*>: Block device required"),
    Q("BGL", "E29", "fr", "Pourquoi la liaison a été coupée juste après l'envoi du programme à charger sur les nœuds "
      "BGL ?", "ciod: Error reading message prefix after LOAD_MESSAGE on CioStream socket to <*>:<*>: Link has been "
      "severed"),
    Q("BGL", "E36", "en", "Why did a job fail at login to enter its directory with an I/O error last month?",
      "ciod: LOGIN chdir(<*>) failed: Input/output error", when=LAST_MONTH),
    Q("BGL", "E26", "fr", "Pourquoi BGL refuse de charger l'exécutable du job faute de droits ?",
      "ciod: Error loading /<*>: invalid or missing program image, Permission denied"),
    Q("BGL", "E25", "en", "Why won't the compute nodes load the program, saying its format isn't executable?",
      "ciod: Error loading /<*>: invalid or missing program image, Exec format error"),
    Q("BGL", "E1,E2,E118,E119", "fr", "Que signifient les erreurs de mémoire DDR corrigées automatiquement sur BGL ?",
      "<*> ddr errors(s) detected and corrected on rank <*>, symbol <*>, bit <*>"),
    Q("BGL", "E51", "en",
      "What's the parity problem found in the data cache that the kernel tries to fix in September?",
      "data cache search parity error detected. attempting to correct", when=month(9)),
    Q("BGL", "E91,E92", "fr", "Que veut dire le rapport d'état d'une carte de nœuds avec ses alertes, son horloge et "
      "ses resets JTAG ?", "Node card status: no ALERTs are active. Clock Mode is Low. Clock Select is Midplane. Phy "
      "JTAG Reset is asserted. ASIC JTAG Reset is asserted. Temperature Mask is not active. ..."),
    Q("BGL", "E28", "en", "Why can't BGL find the program the job asked to run?",
      "ciod: Error loading <*>: invalid or missing program image, No such file or directory"),
    Q("BGL", "E19", "fr", "Que veut dire un processeur qui envoie un message inconnu au démon d'E/S ?",
      "ciod: cpu <*> at treeaddr <*> sent unrecognized message <*>"),
    Q("BGL", "E27", "en", "Why was a job's executable rejected this month for being larger than the memory allows?",
      "ciod: Error loading /<*>: program image too big, <*> > <*>", when=THIS_MONTH),
    Q("BGL", "E17", "fr", "Pourquoi la découverte matérielle BGL ne récupère pas les infos d'assemblage d'une carte de "
      "nœuds ?", "Can not get assembly information for node card"),
    Q("BGL", "E30", "en", "Why did the BGL I/O daemon's socket get reset by the other end while reading a message?",
      "ciod: Error reading message prefix on CioStream socket to <*>:<*>, Connection reset by peer"),
]

# --- lint: the wording must not copy the template ---------------------------------------------

_SPLIT = re.compile(r"[^0-9A-Za-zÀ-ÿ']+")
_IDENT = re.compile(r"[A-Za-z0-9]*(?:[a-z][A-Z]|_|[A-Za-z]\d|\d[A-Za-z]|[A-Za-z][.:][A-Za-z])[\w.:]*")
COMMON_CAPS = {"HTTP", "CPU", "NFS", "SSH", "DNS", "RAM", "DDR", "JTAG", "ACL", "VM", "PAM"}


def _words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text.lower().replace("_", " ")) if w]


def copied_trigrams(question: str, template: str) -> set[tuple[str, ...]]:
    """Three consecutive template words (a variable <*> breaks the run) found in the question."""
    q = _words(question)
    q3 = {tuple(q[i:i + 3]) for i in range(len(q) - 2)}
    out = set()
    for chunk in template.split("<*>"):
        t = _words(chunk)
        out |= {tuple(t[i:i + 3]) for i in range(len(t) - 2)} & q3
    return out


def identifiers(template: str) -> set[str]:
    """The template's code-like tokens (camelCase, snake_case, dotted, with digits, rare all-caps)."""
    out = set()
    for token in re.split(r"[\s,;()\[\]{}<>*=/'\"]+", template):
        token = token.strip(".:!-")
        if len(token) < 3:
            continue
        if _IDENT.fullmatch(token) or (token.isupper() and token.isalpha() and len(token) >= 3
                                       and token not in COMMON_CAPS):
            out.add(token)
    return out


def lint(question: Question) -> list[str]:
    problems = [f"copies {' '.join(g)!r}" for g in sorted(copied_trigrams(question.text, question.template))]
    for ident in sorted(identifiers(question.template)):
        # all-caps words count only written in capitals ("LOGIN" is an identifier, "login" a word)
        text, needle = (question.text, ident) if ident.isupper() else (question.text.lower(), ident.lower())
        if re.search(rf"(?<![\w.]){re.escape(needle)}(?![\w])", text):
            problems.append(f"uses identifier {ident!r}")
    return problems
